import { randomBytes } from 'node:crypto';
import { uuidv7 } from '@aigw/core';
import { activeTraceId } from './http-tracing';

const traceparent = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * A new request id (UUIDv7) and the request's trace id: its span's (which continues the
 * caller's `traceparent`), else the one in `traceparent`, else a fresh one.
 */
export function requestIdentity(traceparentHeader: string | undefined): {
  requestId: string;
  traceId: string;
} {
  const spanTraceId = activeTraceId();
  if (spanTraceId) return { requestId: uuidv7(), traceId: spanTraceId };
  const match = traceparentHeader ? traceparent.exec(traceparentHeader.trim()) : null;
  return { requestId: uuidv7(), traceId: match?.[1] ?? randomBytes(16).toString('hex') };
}
