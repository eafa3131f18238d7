import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type CompiledConfig } from '@aigw/config';
import { GrpcServerHost } from '@aigw/transport';
import { RuntimeModule } from './runtime.module';
import { createClusterRuntime, type ServiceRuntime } from './service-runtime';
import { onShutdownSignal } from './shutdown-signals';

export interface GrpcServiceMainOptions {
  readonly service: string;
  readonly module: DynamicModule;
  /** host:port this service serves on, from the config's runtime.services. */
  readonly address: (config: CompiledConfig) => string;
  readonly register: (
    app: INestApplicationContext,
    host: GrpcServerHost,
    runtime: ServiceRuntime,
  ) => void;
  /** Extra work after the server stops and before the event log closes. */
  readonly beforeClose?: (app: INestApplicationContext) => Promise<void>;
}

/**
 * Binds on every interface at the configured port unless AIGW_GRPC_BIND says otherwise. A
 * process is one replica: when the address lists several, each replica sets AIGW_GRPC_BIND,
 * and without it the first listed port is used.
 */
export function bindAddress(address: string): string {
  const override = process.env['AIGW_GRPC_BIND'];
  if (override) return override;
  const first = address.split(',')[0]!.trim();
  const port = first.slice(first.lastIndexOf(':') + 1);
  return `0.0.0.0:${port}`;
}

/** Starts one gRPC service process in cluster mode, with graceful shutdown on SIGTERM. */
export async function runGrpcServiceMain(options: GrpcServiceMainOptions): Promise<void> {
  const runtime = createClusterRuntime(options.service);
  @Module({ imports: [RuntimeModule.forRoot(runtime), options.module] })
  class HostModule {}
  const app = await NestFactory.createApplicationContext(HostModule, { logger: ['error', 'warn'] });
  const host = new GrpcServerHost(runtime.logger);
  options.register(app, host, runtime);
  await host.start(bindAddress(options.address(runtime.config.current())));
  onShutdownSignal(runtime.logger, async () => {
    await host.stop();
    await options.beforeClose?.(app);
    await app.close();
    await runtime.events.close();
    await runtime.telemetry.shutdown();
  });
}
