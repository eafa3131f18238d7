import { loadConfigFile } from '@aigw/config';
import { createLogger } from '@aigw/core';
import { configPathFromEnv, exitOnStartupFailure, onShutdownSignal } from '@aigw/runtime';
import { startStandaloneGateway } from './standalone-gateway';

async function main(): Promise<void> {
  const logger = createLogger({ service: 'aigw' });
  const config = loadConfigFile(configPathFromEnv());
  const gateway = await startStandaloneGateway(config, logger);
  process.stdout.write(
    `aigw (standalone) listening on ${gateway.url}\n` +
      `  try: curl ${gateway.url}/v1/chat/completions -H "Authorization: Bearer aigw-demo-key" ` +
      `-H "content-type: application/json" -d '{"model":"chat","messages":[{"role":"user","content":"hi"}]}'\n`,
  );
  onShutdownSignal(logger, () => gateway.close());
}

main().catch(exitOnStartupFailure);
