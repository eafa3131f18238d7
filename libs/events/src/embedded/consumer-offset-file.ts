import { mkdirSync } from 'node:fs';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const offsetFile = z.object({ offset: z.string().regex(/^\d+$/) });

/**
 * The committed position of one consumer group on one topic, in a small JSON file
 * (`{"offset":"<byte position>"}`). Saved by writing a temporary file and renaming it over the
 * old one, so a crash leaves either the old or the new position, never a torn file.
 */
export class ConsumerOffsetFile {
  private readonly path: string;

  constructor(
    directory: string,
    groupId: string,
    private readonly fsync: boolean,
  ) {
    mkdirSync(directory, { recursive: true });
    // Group ids are free text; percent-encoding makes any of them a safe file name.
    this.path = join(directory, `${encodeURIComponent(groupId)}.json`);
  }

  /** The committed position, or undefined if the group never committed (or the file is bad). */
  async load(): Promise<number | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return undefined;
    }
    const parsed = offsetFile.safeParse(json);
    return parsed.success ? Number(parsed.data.offset) : undefined;
  }

  /** Replaces the committed position atomically. */
  async save(position: number): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(JSON.stringify({ offset: String(position) }) + '\n');
      if (this.fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.path);
  }
}
