import {
  context,
  type Context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { tracingActive } from '@aigw/core';

const tracer = trace.getTracer('aigw.ingress');

interface TracedRequest {
  readonly span: Span;
  readonly context: Context;
}

const traced = new WeakMap<FastifyRequest, TracedRequest>();

/**
 * One SERVER span per HTTP request, continuing the caller's `traceparent` when it sent one. The
 * span is the active context while the route runs, so gRPC calls, events and log lines made for
 * the request all carry its trace.
 */
export function useRequestTracing(fastify: FastifyInstance): void {
  // Without telemetry there is nothing to trace: no hooks on the hot path.
  if (!tracingActive()) return;
  fastify.addHook('onRequest', (request, _reply, done) => {
    const parent = propagation.extract(context.active(), request.headers);
    const route = request.routeOptions.url ?? 'unmatched';
    const span = tracer.startSpan(
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'http.route': route },
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    traced.set(request, { span, context: active });
    context.with(active, done);
  });
  // Body parsing runs in the socket's context; the handler gets the request's back here.
  fastify.addHook('preHandler', (request, _reply, done) => {
    const entry = traced.get(request);
    if (entry) context.with(entry.context, done);
    else done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    endRequestSpan(request, reply.statusCode);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    endRequestSpan(request, undefined);
    done();
  });
}

function endRequestSpan(request: FastifyRequest, status: number | undefined): void {
  const entry = traced.get(request);
  if (!entry) return;
  traced.delete(request);
  if (status === undefined) {
    entry.span.setStatus({ code: SpanStatusCode.ERROR, message: 'client aborted' });
  } else {
    entry.span.setAttribute('http.response.status_code', status);
    if (status >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
  }
  entry.span.end();
}

/** Trace id of the request being handled, when it is traced. */
export function activeTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
