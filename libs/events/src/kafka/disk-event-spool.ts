import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { type FileHandle, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Logger } from '@aigw/core';
import { z } from 'zod';
import { writeAll } from '../files/write-all';
import { type OutboundEvent } from './outbound-event';

// Segment file name = number of its first batch, zero-padded so names sort like numbers.
const segmentFileName = /^(\d{16})\.jsonl$/;
const spoolLine = z.object({
  k: z.string(),
  v: z.string(),
  h: z.string(),
  p: z.string().optional(),
  t: z.array(z.string()).min(1),
});

interface Segment {
  readonly seq: number;
  readonly path: string;
  /** Number of the last batch in it; a segment holds consecutive batch numbers only. */
  lastSeq: number;
  /** Complete event lines in it. */
  count: number;
  bytes: number;
}

/** A spooled segment read back for replay, oldest first. */
export interface SpoolSegment {
  readonly seq: number;
  readonly events: readonly OutboundEvent[];
}

/** Options of the spool. */
export interface DiskEventSpoolOptions {
  /** A segment that reached this size takes no more appends (default 4 MiB). */
  readonly maxSegmentBytes?: number;
}

/**
 * Durable local spool for events Kafka has not acknowledged: append-only JSONL segment files,
 * one line per event (`{"k":key,"v":value,"h":traceId,"t":[topics]}`), each append written with
 * one write call and fsynced before it counts as spooled.
 *
 * Every batch the publisher cuts gets an increasing number; a segment is named after its first
 * batch and only ever holds consecutive batch numbers, so replaying segments in name order
 * replays batches in publish order, even when a batch that failed late is spooled after a
 * younger one. Files are deleted only after Kafka acknowledged their events. One publisher
 * (one process) owns a spool directory.
 */
export class DiskEventSpool {
  private readonly segments: Segment[] = [];
  private active: { readonly segment: Segment; readonly handle: FileHandle } | undefined;
  private total = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly maxSegmentBytes: number;
  /** First batch number no spooled segment uses; the publisher numbers its batches from here. */
  readonly firstFreeSeq: number;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
    options: DiskEventSpoolOptions = {},
  ) {
    this.maxSegmentBytes = options.maxSegmentBytes ?? 4 * 1024 * 1024;
    mkdirSync(dir, { recursive: true });
    let firstFree = 0;
    // Read synchronously once at startup: the spool is small in the normal case, and the
    // publisher must know what is waiting before it numbers its first batch.
    for (const name of readdirSync(dir).sort()) {
      const match = segmentFileName.exec(name);
      if (!match) continue;
      const path = join(dir, name);
      const content = readFileSync(path);
      const count = countCompleteLines(content);
      if (count === 0) {
        // Created but never completely written (crash mid-write): nothing to replay.
        unlinkSync(path);
        continue;
      }
      const seq = Number(match[1]);
      // Each batch has at least one event, so this bounds the segment's last batch number.
      const lastSeq = seq + count - 1;
      this.segments.push({ seq, path, lastSeq, count, bytes: content.length });
      this.total += count;
      firstFree = Math.max(firstFree, lastSeq + 1);
    }
    this.firstFreeSeq = firstFree;
    if (this.total > 0) {
      logger.warn('event spool holds events from an earlier run; replaying', {
        events: this.total,
        segments: this.segments.length,
      });
    }
  }

  /** Events currently in the spool. */
  count(): number {
    return this.total;
  }

  /** True when no segment is waiting for replay (nor being written). */
  isEmpty(): boolean {
    return this.segments.length === 0;
  }

  /** Appends batch `seq` with one write and an fsync. */
  append(seq: number, events: readonly OutboundEvent[]): Promise<void> {
    return this.serialized(async () => {
      let active = this.active;
      const fits = active && active.segment.bytes < this.maxSegmentBytes;
      if (!active || !fits || active.segment.lastSeq !== seq - 1) {
        await this.sealActive();
        active = await this.openSegment(seq);
      }
      const data = serialize(events);
      try {
        await writeAll(active.handle, data);
        await active.handle.datasync();
      } catch (error) {
        // The file may now end in a partial line: append nothing more to it.
        await this.sealActive();
        throw error;
      }
      active.segment.lastSeq = seq;
      active.segment.count += events.length;
      active.segment.bytes += data.length;
      this.total += events.length;
    });
  }

  /**
   * Writes batch `seq` synchronously into a segment of its own. Used when memory is full and
   * the caller cannot wait; a segment of its own never interleaves with an async append.
   */
  appendSync(seq: number, events: readonly OutboundEvent[]): void {
    const path = this.pathOf(seq);
    const data = serialize(events);
    const fd = openSync(path, 'a');
    try {
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.syncDirectory();
    this.insert({ seq, path, lastSeq: seq, count: events.length, bytes: data.length });
    this.total += events.length;
  }

  /** The oldest segment, read back (the segment being appended to is closed off first). */
  oldest(): Promise<SpoolSegment | undefined> {
    return this.serialized(async () => {
      const segment = this.segments[0];
      if (!segment) return undefined;
      if (this.active?.segment === segment) await this.sealActive();
      const events = parseSegment(await readFile(segment.path), segment.path, this.logger);
      // A torn or corrupt line is skipped; keep the count honest.
      this.total += events.length - segment.count;
      segment.count = events.length;
      return { seq: segment.seq, events };
    });
  }

  /** Deletes a replayed segment; call only after Kafka acknowledged all of its events. */
  remove(seq: number): Promise<void> {
    return this.serialized(async () => {
      const index = this.segments.findIndex((segment) => segment.seq === seq);
      const segment = this.segments[index];
      if (!segment) return;
      await unlink(segment.path);
      this.segments.splice(index, 1);
      this.total -= segment.count;
    });
  }

  /** Closes the file being appended to; what is spooled stays for the next run. */
  close(): Promise<void> {
    return this.serialized(() => this.sealActive());
  }

  private async openSegment(seq: number): Promise<{ segment: Segment; handle: FileHandle }> {
    const path = this.pathOf(seq);
    const handle = await open(path, 'a');
    const directory = await open(this.dir, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    const segment: Segment = { seq, path, lastSeq: seq - 1, count: 0, bytes: 0 };
    this.insert(segment);
    this.active = { segment, handle };
    return this.active;
  }

  private async sealActive(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    await active?.handle.close();
  }

  private insert(segment: Segment): void {
    const index = this.segments.findIndex((other) => other.seq > segment.seq);
    if (index === -1) this.segments.push(segment);
    else this.segments.splice(index, 0, segment);
  }

  // A new file is durable only once its directory entry is.
  private syncDirectory(): void {
    const fd = openSync(this.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private pathOf(seq: number): string {
    return join(this.dir, `${String(seq).padStart(16, '0')}.jsonl`);
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

function serialize(events: readonly OutboundEvent[]): Buffer {
  let text = '';
  for (const event of events) {
    text +=
      JSON.stringify({
        k: event.key,
        v: event.value.toString('utf8'),
        h: event.traceId,
        p: event.traceparent,
        t: event.topics,
      }) + '\n';
  }
  return Buffer.from(text, 'utf8');
}

function parseSegment(content: Buffer, path: string, logger: Logger): OutboundEvent[] {
  const events: OutboundEvent[] = [];
  const end = content.lastIndexOf(0x0a);
  // Bytes after the last newline are a line torn by a crash mid-write: never complete, skip.
  const lines = end < 0 ? [] : content.subarray(0, end).toString('utf8').split('\n');
  let skipped = 0;
  for (const line of lines) {
    const parsed = parseLine(line);
    if (parsed) events.push(parsed);
    else skipped += 1;
  }
  if (skipped > 0) logger.warn('event spool: skipped unreadable lines', { path, lines: skipped });
  return events;
}

function parseLine(line: string): OutboundEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const result = spoolLine.safeParse(json);
  if (!result.success) return undefined;
  const { k, v, h, p, t } = result.data;
  return { key: k, value: Buffer.from(v, 'utf8'), traceId: h, traceparent: p, topics: t };
}

function countCompleteLines(content: Buffer): number {
  let count = 0;
  for (let index = content.indexOf(0x0a); index !== -1; index = content.indexOf(0x0a, index + 1)) {
    count += 1;
  }
  return count;
}
