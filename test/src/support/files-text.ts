import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under a folder, read as text (for "this secret appears nowhere" checks). */
export function textOfFilesUnder(dir: string): string {
  let text = '';
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path);
    if (stat.isDirectory()) text += textOfFilesUnder(path);
    else if (stat.size < 50 * 1024 * 1024) text += readFileSync(path).toString('latin1');
  }
  return text;
}
