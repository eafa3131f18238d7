// The mock upstream in a process of its own, so it does not share an event loop with the load
// generator. Prints one JSON line `{"baseUrl": "..."}` once listening; exits when the parent
// disconnects (IPC channel closed) or on SIGTERM/SIGINT.
import { startOpenAiMock } from '@aigw/testing';

async function main(): Promise<void> {
  const mock = await startOpenAiMock({ recordRequests: false });
  const stop = (): void => {
    void mock.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  process.stdout.write(`${JSON.stringify({ baseUrl: mock.baseUrl })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`upstream mock failed to start: ${String(error)}\n`);
  process.exit(1);
});
