import { type Logger } from '@aigw/core';

/**
 * Runs `shutdown` once on SIGTERM/SIGINT, then exits; a second signal or the grace period
 * running out exits at once.
 */
export function onShutdownSignal(
  logger: Logger,
  shutdown: () => Promise<void>,
  graceMs = Number(process.env['AIGW_SHUTDOWN_GRACE_MS'] ?? 20_000),
): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info('shutting down', { signal });
    const timer = setTimeout(() => {
      logger.error('shutdown grace period exceeded');
      process.exit(1);
    }, graceMs);
    timer.unref();
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handle);
  process.once('SIGINT', handle);
}
