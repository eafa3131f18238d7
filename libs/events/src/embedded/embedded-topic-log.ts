import {
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
} from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { type Logger } from '@aigw/core';
import { errorMessage } from '../async/error-message';
import { WakeSignal } from '../async/wake-signal';
import { writeAll } from '../files/write-all';

// Segment file name = byte position of its first record in the topic, zero-padded to sort.
const segmentFileName = /^(\d{20})\.jsonl$/;

/** A segment to read from, and the position where reading it must stop. */
export interface SegmentSlice {
  readonly base: number;
  readonly path: string;
  /** Where the next segment starts, or the end of what is written so far. */
  readonly limit: number;
}

/** Options of one topic's log. */
export interface EmbeddedTopicLogOptions {
  readonly fsync: boolean;
  readonly segmentBytes: number;
  /** Appends wait this long to be written together (0: the lines of one tick). */
  readonly writeDelayMs?: number;
  readonly logger: Logger;
}

/**
 * One topic of the embedded log: JSONL segment files in a directory, written only by this
 * object. Lines appended during one tick are written with a single write call (and fsynced if
 * asked); the end position readers may see moves only after a write completed, so readers
 * never see half a line. Positions are byte positions across all segments of the topic.
 */
export class EmbeddedTopicLog {
  /** Notified after every completed append; subscribers wait on it when caught up. */
  readonly appended = new WakeSignal();
  private readonly segments: { readonly base: number; readonly path: string }[] = [];
  private end = 0;
  private handle: FileHandle | undefined;
  private pending: string[] = [];
  private scheduled = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly topic: string,
    private readonly dir: string,
    private readonly options: EmbeddedTopicLogOptions,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir).sort()) {
      const match = segmentFileName.exec(name);
      if (match) this.segments.push({ base: Number(match[1]), path: join(dir, name) });
    }
    const last = this.segments.at(-1);
    if (last) this.end = last.base + this.repairTail(last.path);
  }

  /** Byte position after the last complete record. */
  endPosition(): number {
    return this.end;
  }

  /** The segment holding `position`, or undefined if nothing is written there (yet). */
  segmentAt(position: number): SegmentSlice | undefined {
    for (let index = this.segments.length - 1; index >= 0; index -= 1) {
      const segment = this.segments[index]!;
      if (segment.base <= position) {
        const limit = this.segments[index + 1]?.base ?? this.end;
        return position < limit ? { ...segment, limit } : undefined;
      }
    }
    return undefined;
  }

  /** Queues one complete line (ending in "\n"); written with the others of this tick (or delay). */
  append(line: string): void {
    this.pending.push(line);
    if (this.scheduled) return;
    this.scheduled = true;
    const write = (): void => {
      this.scheduled = false;
      void this.writePending();
    };
    if (this.options.writeDelayMs) setTimeout(write, this.options.writeDelayMs);
    else setImmediate(write);
  }

  /** Resolves once every line appended so far is written (and fsynced, if configured). */
  flush(): Promise<void> {
    return this.writePending();
  }

  /** Writes what is pending and closes the segment file. */
  async close(): Promise<void> {
    await this.flush();
    await this.handle?.close();
    this.handle = undefined;
  }

  private writePending(): Promise<void> {
    // writeBatch never rejects, so the chain never breaks.
    this.writing = this.writing.then(() => this.writeBatch());
    return this.writing;
  }

  private async writeBatch(): Promise<void> {
    if (this.pending.length === 0) return;
    const lines = this.pending.length;
    const data = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    try {
      const handle = await this.activeHandle();
      await writeAll(handle, data);
      if (this.options.fsync) await handle.datasync();
      this.end += data.length;
      this.appended.notify();
    } catch (error) {
      this.options.logger.error('embedded event log: append failed; events lost', {
        topic: this.topic,
        events: lines,
        error: errorMessage(error),
      });
      // Part of the data may be in the file: continue in a new segment starting at the end
      // readers know, so they never read past it in this one.
      await this.handle?.close().catch(() => undefined);
      this.handle = undefined;
      this.segments.push({ base: this.end, path: this.pathOf(this.end) });
    }
  }

  private async activeHandle(): Promise<FileHandle> {
    const last = this.segments.at(-1);
    if (!last || this.end - last.base >= this.options.segmentBytes) {
      await this.handle?.close();
      this.handle = undefined;
      if (!last || this.end > last.base) {
        this.segments.push({ base: this.end, path: this.pathOf(this.end) });
      }
    }
    this.handle ??= await open(this.segments.at(-1)!.path, 'a');
    return this.handle;
  }

  /**
   * Cuts a line torn by a crash mid-write off the last segment, so it is never read and the
   * next append starts on a fresh line. Returns the segment's size afterwards.
   */
  private repairTail(path: string): number {
    const fd = openSync(path, 'r+');
    try {
      const size = fstatSync(fd).size;
      const keep = endOfLastLine(fd, size);
      if (keep < size) {
        ftruncateSync(fd, keep);
        this.options.logger.warn('embedded event log: dropped a torn last line', {
          topic: this.topic,
          bytes: size - keep,
        });
      }
      return keep;
    } finally {
      closeSync(fd);
    }
  }

  private pathOf(base: number): string {
    return join(this.dir, `${String(base).padStart(20, '0')}.jsonl`);
  }
}

/** Position just after the last "\n" in the file (0 if there is none), reading backwards. */
function endOfLastLine(fd: number, size: number): number {
  const chunk = Buffer.alloc(64 * 1024);
  let to = size;
  while (to > 0) {
    const from = Math.max(0, to - chunk.length);
    const read = readSync(fd, chunk, 0, to - from, from);
    const newline = chunk.subarray(0, read).lastIndexOf(0x0a);
    if (newline !== -1) return from + newline + 1;
    to = from;
  }
  return 0;
}
