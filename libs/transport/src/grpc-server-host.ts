import { createServer, type Server } from 'nice-grpc';
import { type CompatServiceDefinition } from 'nice-grpc/lib/service-definitions';
import { HealthDefinition, HealthServiceImpl, HealthState } from 'nice-grpc-server-health';
import { type Logger, tracingActive } from '@aigw/core';
import { errorLoggingMiddleware } from './grpc-error-middleware';
import { tracingServerMiddleware } from './grpc-tracing';

/** Keep-alive settings shared by servers and clients, so idle channels survive proxies. */
export const grpcKeepaliveOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 10_000,
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
  'grpc.max_send_message_length': 64 * 1024 * 1024,
} as const;

/**
 * Options for every server and channel. Nothing here reads channelz (gRPC's introspection
 * service), so grpc-js is spared its per-call bookkeeping (counters and timestamps on the
 * channel, subchannel and socket) on both ends of each call.
 */
export const grpcCommonOptions = {
  ...grpcKeepaliveOptions,
  'grpc.enable_channelz': 0,
} as const;

/**
 * One gRPC server for a service: its implementations plus the standard gRPC health service,
 * reporting SERVING only between start() and the beginning of stop().
 */
export class GrpcServerHost {
  private readonly server: Server;
  private readonly health = HealthState();
  private readonly serviceNames: string[] = [];
  private boundPort = 0;

  constructor(private readonly logger: Logger) {
    const server = createServer(grpcCommonOptions);
    // Without telemetry the server carries no tracing step at all.
    this.server = (tracingActive() ? server.use(tracingServerMiddleware) : server).use(
      errorLoggingMiddleware(logger),
    );
    this.server.add(HealthDefinition, HealthServiceImpl(this.health));
    this.health.setStatus('unhealthy');
  }

  add<Definition extends CompatServiceDefinition>(
    definition: Definition,
    implementation: Parameters<Server['add']>[1],
    fullName: string,
  ): this {
    this.server.add(definition, implementation as never);
    this.serviceNames.push(fullName);
    return this;
  }

  /** Binds and starts serving; returns the bound port (useful with port 0). */
  async start(address: string): Promise<number> {
    this.boundPort = await this.server.listen(address);
    this.health.setStatus('healthy');
    for (const name of this.serviceNames) this.health.setStatus('healthy', name);
    this.logger.info('grpc server listening', { address, port: this.boundPort });
    return this.boundPort;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Stops accepting calls, lets in-flight calls finish for up to graceMs, then forces. */
  async stop(graceMs = 10_000): Promise<void> {
    this.health.setStatus('unhealthy');
    for (const name of this.serviceNames) this.health.setStatus('unhealthy', name);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.server.shutdown(),
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.server.forceShutdown();
          resolve();
        }, graceMs);
      }),
    ]);
    if (timer) clearTimeout(timer);
  }
}
