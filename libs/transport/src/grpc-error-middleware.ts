import { type Logger } from '@aigw/core';
import { type CallContext, type ServerMiddlewareCall, ServerError, Status } from 'nice-grpc';

/**
 * Unexpected errors become INTERNAL without their message (it may hold anything);
 * the detail goes to the log instead.
 */
export function errorLoggingMiddleware(logger: Logger) {
  return async function* <Request, Response>(
    call: ServerMiddlewareCall<Request, Response>,
    context: CallContext,
  ) {
    try {
      return yield* call.next(call.request, context);
    } catch (error: unknown) {
      if (error instanceof ServerError) throw error;
      if (error instanceof Error && error.name === 'AbortError') throw error;
      logger.error('grpc handler failed', { method: call.method.path, error });
      throw new ServerError(Status.INTERNAL, 'internal error');
    }
  };
}
