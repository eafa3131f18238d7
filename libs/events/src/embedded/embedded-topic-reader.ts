import { open } from 'node:fs/promises';
import { type Logger } from '@aigw/core';
import { z } from 'zod';
import { type ConsumedRecord } from '../event-ports';
import { type EmbeddedTopicLog } from './embedded-topic-log';

/** One line of a segment: `{"k":key,"v":<event JSON as a string>}`. */
const recordLine = z.object({ k: z.string().nullable(), v: z.string() });

const initialChunkBytes = 1024 * 1024;

/** Records read from a position, and the position after the last one read. */
export interface ReadResult {
  readonly records: ConsumedRecord[];
  readonly next: number;
}

/**
 * Reads up to `maxRecords` complete records of the topic from byte `position`. A record's
 * offset is the byte position where its line starts; `next` is where reading should resume.
 * An unreadable line (which only a damaged file can hold) is skipped with a warning.
 */
export async function readRecords(
  log: EmbeddedTopicLog,
  position: number,
  maxRecords: number,
  logger: Logger,
): Promise<ReadResult> {
  const records: ConsumedRecord[] = [];
  let at = position;
  let chunkBytes = initialChunkBytes;
  while (records.length < maxRecords) {
    const segment = log.segmentAt(at);
    if (!segment) break;
    const length = Math.min(chunkBytes, segment.limit - at);
    const chunk = await readAt(segment.path, at - segment.base, length);
    let lineStart = 0;
    for (
      let newline = chunk.indexOf(0x0a);
      newline !== -1 && records.length < maxRecords;
      newline = chunk.indexOf(0x0a, lineStart)
    ) {
      const record = parseRecord(log.topic, at + lineStart, chunk.subarray(lineStart, newline));
      if (record) records.push(record);
      else
        logger.warn('embedded event log: skipped an unreadable record', {
          topic: log.topic,
          offset: at + lineStart,
        });
      lineStart = newline + 1;
    }
    if (lineStart > 0) {
      at += lineStart;
      chunkBytes = initialChunkBytes;
    } else if (length < segment.limit - at) {
      // One line longer than the chunk: read more at once.
      chunkBytes *= 2;
    } else {
      // Bytes without a newline up to the segment's limit: not a record (damaged file).
      logger.warn('embedded event log: skipped bytes without a line end', {
        topic: log.topic,
        offset: at,
      });
      at = segment.limit;
    }
  }
  return { records, next: at };
}

function parseRecord(topic: string, offset: number, line: Buffer): ConsumedRecord | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line.toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = recordLine.safeParse(json);
  if (!parsed.success) return undefined;
  return {
    topic,
    partition: 0,
    offset: String(offset),
    key: parsed.data.k,
    value: Buffer.from(parsed.data.v, 'utf8'),
  };
}

async function readAt(path: string, from: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, from + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  } finally {
    await handle.close();
  }
}
