import { type McpCalled, type RequestContext } from '@aigw/contracts';
import { monotonicMs, roundMs } from '@aigw/core';
import { createEnvelope, type EventPublisher } from '@aigw/events';

const serviceName = 'mcp-broker';

/** How an MCP operation ended, as recorded on `mcp.called`. */
export type McpCallStatus =
  | 'ok'
  | 'tool_error'
  | 'denied'
  | 'rate_limited'
  | 'guardrail_blocked'
  | 'rejected'
  | 'upstream_error'
  | 'invalid_request';

/** Emits `mcp.called` (lifecycle and audit topics) for one operation. */
export function recordMcpCall(
  events: EventPublisher,
  context: RequestContext,
  call: Omit<McpCalled, 'latencyMs'> & {
    readonly startedAt: number;
    readonly status: McpCallStatus;
  },
): void {
  const { startedAt, ...fields } = call;
  events.publish(
    createEnvelope(serviceName, context, {
      $case: 'mcpCalled',
      value: { ...fields, latencyMs: roundMs(monotonicMs() - startedAt) },
    }),
  );
}
