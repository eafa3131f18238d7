import { type Envelope } from '@aigw/contracts';
import { toClickHouseDateTime64 } from './clickhouse-datetime';
import { float, principalColumns, uint } from './event-rows';

/** A row of `mcp_calls`: one MCP operation an agent sent through the gateway. */
export type McpCallRow = {
  readonly time: string;
  readonly event_id: string;
  readonly request_id: string;
  readonly trace_id: string;
  readonly service: string;
  readonly principal_id: string;
  readonly principal_kind: string;
  readonly groups: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly connection: string;
  readonly http_method: string;
  readonly mcp_method: string;
  readonly tool: string;
  readonly auth: string;
  readonly on_behalf_of_user: boolean;
  readonly status: string;
  readonly error_code: string;
  readonly reason: string;
  readonly latency_ms: number;
  readonly argument_bytes: number;
  readonly result_bytes: number;
};

/** Maps an `mcp.called` event to its `mcp_calls` row; any other event gives undefined. */
export function toMcpCallRow(envelope: Envelope): McpCallRow | undefined {
  const payload = envelope.payload;
  if (payload?.$case !== 'mcpCalled') return undefined;
  const call = payload.value;
  // Columns listed in one literal: a spread into it is a slow copy in V8.
  const { principal_id, principal_kind, groups } = principalColumns(envelope);
  return {
    time: toClickHouseDateTime64(envelope.occurredAt),
    event_id: envelope.eventId,
    request_id: envelope.requestId,
    trace_id: envelope.traceId,
    service: envelope.service,
    principal_id,
    principal_kind,
    groups,
    tags: envelope.tags,
    connection: call.connection,
    http_method: call.httpMethod,
    mcp_method: call.mcpMethod,
    tool: call.tool,
    auth: call.auth,
    on_behalf_of_user: call.onBehalfOfUser,
    status: call.status,
    error_code: call.errorCode,
    reason: call.reason,
    latency_ms: float(call.latencyMs),
    argument_bytes: uint(call.argumentBytes, 0xffffffff),
    result_bytes: uint(call.resultBytes, 0xffffffff),
  };
}
