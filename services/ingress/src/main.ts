import {
  createClusterRuntime,
  exitOnStartupFailure,
  onShutdownSignal,
  RuntimeModule,
} from '@aigw/runtime';
import { createGrpcIngressClients } from './grpc-ingress-clients';
import { IngressModule } from './ingress.module';
import { startIngressServer } from './ingress-server';

async function main(): Promise<void> {
  const runtime = createClusterRuntime('ingress');
  const config = runtime.config.current();
  const server = await startIngressServer(
    [
      RuntimeModule.forRoot(runtime),
      IngressModule.register({ clients: { useFactory: () => createGrpcIngressClients(config) } }),
    ],
    config,
    runtime.logger,
  );
  onShutdownSignal(runtime.logger, async () => {
    await server.close();
    await runtime.events.close();
    await runtime.telemetry.shutdown();
  });
}

main().catch(exitOnStartupFailure);
