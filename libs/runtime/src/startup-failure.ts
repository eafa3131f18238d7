import { ConfigError } from '@aigw/config';

/** Prints why a process could not start (a bad config lists every issue) and exits non-zero. */
export function exitOnStartupFailure(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`aigw failed to start: ${message}\n`);
  }
  process.exit(1);
}
