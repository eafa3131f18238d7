import { FileConfigSource } from '@aigw/config';
import { createLogger } from '@aigw/core';
import { serviceInstance } from '@aigw/events';
import { configPathFromEnv, exitOnStartupFailure, onShutdownSignal } from '@aigw/runtime';
import { initTelemetry } from '@aigw/telemetry';
import { startStandaloneGateway } from './standalone-gateway';

async function main(): Promise<void> {
  const telemetry = initTelemetry({ service: 'aigw-standalone', instance: serviceInstance });
  const logger = createLogger({ service: 'aigw' });
  // Watched: a valid edit applies at once, an invalid one is rejected and logged.
  const config = new FileConfigSource(configPathFromEnv(), { logger });
  const gateway = await startStandaloneGateway(config, logger);
  process.stdout.write(
    `aigw (standalone) listening on ${gateway.url}\n` +
      `  try: curl ${gateway.url}/v1/chat/completions -H "Authorization: Bearer aigw-demo-key" ` +
      `-H "content-type: application/json" -d '{"model":"chat","messages":[{"role":"user","content":"hi"}]}'\n`,
  );
  onShutdownSignal(logger, async () => {
    await gateway.close();
    await telemetry.shutdown();
  });
}

main().catch(exitOnStartupFailure);
