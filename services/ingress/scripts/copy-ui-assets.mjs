// Copies the dashboard's static files next to the compiled UI controller (tsc copies only .ts).
import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
cpSync(join(root, 'src/ui/assets'), join(root, 'dist/ui/assets'), { recursive: true });
