import {
  context,
  type Context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import {
  type CallContext,
  type CallOptions,
  type ClientMiddlewareCall,
  Metadata,
  type ServerMiddlewareCall,
} from 'nice-grpc-common';

const tracer = trace.getTracer('aigw.grpc');

const metadataSetter: TextMapSetter<Metadata> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

const metadataGetter: TextMapGetter<Metadata> = {
  get: (carrier, key) => carrier.get(key) as string | undefined,
  keys: (carrier) => [...carrier].map(([key]) => key),
};

/** Runs each step of a generator inside a context, so the handler's async work inherits it. */
async function* stepInContext<T, R>(
  activeContext: Context,
  generator: AsyncGenerator<T, R, undefined>,
): AsyncGenerator<T, R, undefined> {
  for (;;) {
    const step = await context.with(activeContext, () => generator.next());
    if (step.done) return step.value;
    yield step.value;
  }
}

function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    const aborted = error instanceof Error && error.name === 'AbortError';
    if (!aborted) {
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.name : 'error',
      });
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'number') span.setAttribute('rpc.grpc.status_code', code);
  } else {
    span.setAttribute('rpc.grpc.status_code', 0);
  }
  span.end();
}

/** Client side: one CLIENT span per call, its context sent as `traceparent` metadata. */
export async function* tracingClientMiddleware<Request, Response>(
  call: ClientMiddlewareCall<Request, Response>,
  options: CallOptions,
): AsyncGenerator<Response, Response | void, undefined> {
  const span = tracer.startSpan(call.method.path.slice(1), {
    kind: SpanKind.CLIENT,
    attributes: { 'rpc.system': 'grpc', 'rpc.method': call.method.path },
  });
  const metadata = Metadata(options.metadata);
  propagation.inject(trace.setSpan(context.active(), span), metadata, metadataSetter);
  try {
    const result = yield* call.next(call.request, { ...options, metadata });
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

/**
 * Server side: continues the caller's trace from `traceparent` metadata with a SERVER span that
 * is the active context while the handler runs (its events, logs and outgoing calls join it).
 */
export async function* tracingServerMiddleware<Request, Response>(
  call: ServerMiddlewareCall<Request, Response>,
  callContext: CallContext,
): AsyncGenerator<Response, Response | void, undefined> {
  const parent = propagation.extract(context.active(), callContext.metadata, metadataGetter);
  const span = tracer.startSpan(
    call.method.path.slice(1),
    { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'grpc', 'rpc.method': call.method.path } },
    parent,
  );
  const active = trace.setSpan(parent, span);
  try {
    const steps = call.next(call.request, callContext) as AsyncGenerator<
      Response,
      Response | void,
      undefined
    >;
    const result = yield* stepInContext(active, steps);
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}
