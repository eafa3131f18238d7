import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the e2e run keeps what the secret scan reads at the end: every child process's full
 * output (logs) and every secret a test made up at run time (created keys, signed tokens).
 * Set by the e2e global setup; unset (e.g. a single file run without it) nothing is kept.
 */
export function secretScanDir(): string | undefined {
  return process.env['AIGW_SECRET_SCAN_DIR'] || undefined;
}

/** Adds secrets that no log line, event or error of this run may contain. */
export function registerSecrets(...values: readonly string[]): void {
  const dir = secretScanDir();
  if (!dir) return;
  const lines = values.filter((value) => value.length >= 8).map((value) => `${value}\n`);
  if (lines.length > 0) appendFileSync(join(dir, 'secrets.txt'), lines.join(''));
}

/** A sink for one child process's output, kept whole for the scan. */
export function outputLogWriter(name: string, pid: number | undefined): (chunk: Buffer) => void {
  const dir = secretScanDir();
  if (!dir) return () => undefined;
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const path = join(dir, 'logs', `${name.replace(/[^a-zA-Z0-9._-]/g, '_')}-${pid ?? 'x'}.log`);
  return (chunk) => appendFileSync(path, chunk);
}
