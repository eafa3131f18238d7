import { type DynamicModule, Module } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type CompiledConfig } from '@aigw/config';
import { type Logger } from '@aigw/core';
import { createIngressHttpApp } from './http/ingress-http-app';
import { IngressReadiness } from './ingress-readiness';

/** A listening ingress: the HTTP app, where it listens, and how to drain it. */
export interface IngressServer {
  readonly app: NestFastifyApplication;
  readonly url: string;
  /** Stops taking new requests (readyz → 503), lets in-flight ones and streams finish, closes. */
  close(): Promise<void>;
}

/** Builds the HTTP app around `modules` (runtime + ingress), listens on runtime.http. */
export async function startIngressServer(
  modules: DynamicModule[],
  config: CompiledConfig,
  logger: Logger,
): Promise<IngressServer> {
  @Module({ imports: modules })
  class IngressHostModule {}
  const http = config.raw.runtime.http;
  const app = await createIngressHttpApp(IngressHostModule, {
    bodyLimitBytes: http.body_limit_bytes,
    requestTimeoutMs: http.request_timeout_ms,
    logger,
  });
  await app.listen({ host: http.host, port: http.port });
  const readiness = app.get(IngressReadiness);
  readiness.markReady();
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : http.port;
  const url = `http://${http.host}:${port}`;
  logger.info('ingress listening', { url });
  return {
    app,
    url,
    close: async () => {
      readiness.markDraining();
      // Keep-alive connections go idle as their last response ends; close each one then,
      // rather than waiting for the client (or the keep-alive timeout) to hang up.
      const server = app.getHttpServer();
      const sweeper = setInterval(() => server.closeIdleConnections(), 100);
      try {
        await app.close();
      } finally {
        clearInterval(sweeper);
      }
    },
  };
}
