import { type FileHandle } from 'node:fs/promises';

/** Writes all of `data` at the file's current position (a write may be partial). */
export async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written);
    written += bytesWritten;
  }
}
