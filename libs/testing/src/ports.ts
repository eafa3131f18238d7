import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago on `host`: the OS picks one for a throwaway listener,
 * which is closed before returning. Another process may still take it in between.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Polls `url` with GET until it answers with a status below 500 (so a 404 counts as up, a 503
 * "not ready" does not), or rejects once `timeoutMs` has passed, naming the last failure.
 */
export async function waitForHttp(
  url: string,
  timeoutMs = 10_000,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastFailure = 'no attempt';
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(Math.min(remaining, 2_000)),
      });
      await response.body?.cancel();
      if (response.status < 500) return;
      lastFailure = `status ${response.status}`;
    } catch (error) {
      lastFailure = describeFailure(error);
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))),
    );
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (last: ${lastFailure})`);
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
