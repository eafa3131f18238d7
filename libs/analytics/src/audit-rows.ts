import { type Envelope } from '@aigw/contracts';
import { toClickHouseDateTime64 } from './clickhouse-datetime';
import { float, principalColumns, uint } from './event-rows';

/** A row of `audit_log`: who did what. */
export type AuditRow = {
  readonly time: string;
  readonly event_id: string;
  readonly request_id: string;
  readonly trace_id: string;
  /** "authz", "guardrail" or "mcp". */
  readonly category: string;
  readonly action: string;
  readonly outcome: string;
  readonly principal_id: string;
  readonly principal_kind: string;
  readonly groups: readonly string[];
  readonly endpoint: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly service: string;
  /** The event's payload as JSON (never bodies or secrets: events carry none). */
  readonly detail: string;
};

/** A row of `guardrail_findings`: one per guardrail that masked or blocked. */
export type GuardrailFindingRow = {
  readonly time: string;
  readonly event_id: string;
  readonly request_id: string;
  readonly principal_id: string;
  readonly groups: readonly string[];
  readonly endpoint: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly guardrail: string;
  readonly stage: string;
  readonly verdict: string;
  readonly action: string;
  readonly entity_types: readonly string[];
  readonly entity_counts: readonly number[];
  readonly score: number | null;
  readonly judge_model: string;
  readonly latency_ms: number;
};

/** A row of `inference_payloads`: full bodies of one call. */
export type InferencePayloadRow = {
  readonly time: string;
  readonly event_id: string;
  readonly request_id: string;
  readonly trace_id: string;
  readonly principal_id: string;
  readonly endpoint: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly operation: string;
  readonly provider: string;
  readonly model: string;
  readonly stream: boolean;
  readonly status: number;
  readonly latency_ms: number;
  readonly error_code: string;
  readonly error_message: string;
  readonly request_body: string;
  readonly response_body: string;
  readonly truncated: boolean;
  readonly retention_days: number;
};

/** The `audit_log` row of an authz decision, a guardrail that did not pass, or an MCP call. */
export function toAuditRow(envelope: Envelope): AuditRow | undefined {
  const payload = envelope.payload;
  let entry: { category: string; action: string; outcome: string; detail: unknown } | undefined;
  switch (payload?.$case) {
    case 'policyDecided':
      entry = {
        category: 'authz',
        action: 'call_endpoint',
        outcome: payload.value.decision,
        detail: { reason: payload.value.reason, targets: payload.value.targets },
      };
      break;
    case 'guardrailEvaluated':
      if (payload.value.verdict === 'passed') return undefined;
      entry = {
        category: 'guardrail',
        action: payload.value.guardrail,
        outcome: payload.value.verdict,
        detail: { stage: payload.value.stage, action: payload.value.action },
      };
      break;
    case 'mcpCalled':
      entry = {
        category: 'mcp',
        action: payload.value.tool || payload.value.mcpMethod,
        outcome: payload.value.status,
        detail: {
          connection: payload.value.connection,
          mcpMethod: payload.value.mcpMethod,
          onBehalfOfUser: payload.value.onBehalfOfUser,
        },
      };
      break;
    default:
      return undefined;
  }
  const { principal_id, principal_kind, groups } = principalColumns(envelope);
  return {
    time: toClickHouseDateTime64(envelope.occurredAt),
    event_id: envelope.eventId,
    request_id: envelope.requestId,
    trace_id: envelope.traceId,
    category: entry.category,
    action: entry.action,
    outcome: entry.outcome,
    principal_id,
    principal_kind,
    groups,
    endpoint: envelope.endpoint,
    tags: envelope.tags,
    service: envelope.service,
    detail: JSON.stringify(entry.detail),
  };
}

/** The `guardrail_findings` row of a guardrail.evaluated that masked or blocked. */
export function toGuardrailFindingRow(envelope: Envelope): GuardrailFindingRow | undefined {
  const payload = envelope.payload;
  if (payload?.$case !== 'guardrailEvaluated' || payload.value.verdict === 'passed') {
    return undefined;
  }
  const finding = payload.value;
  return {
    time: toClickHouseDateTime64(envelope.occurredAt),
    event_id: envelope.eventId,
    request_id: envelope.requestId,
    principal_id: envelope.principal?.id ?? '',
    groups: envelope.principal?.groups ?? [],
    endpoint: envelope.endpoint,
    tags: envelope.tags,
    guardrail: finding.guardrail,
    stage: finding.stage,
    verdict: finding.verdict,
    action: finding.action,
    entity_types: finding.entities.map((entity) => entity.entityType),
    entity_counts: finding.entities.map((entity) => uint(entity.count, 0xffffffff)),
    score: finding.score !== undefined && Number.isFinite(finding.score) ? finding.score : null,
    judge_model: finding.judgeModel,
    latency_ms: float(finding.latencyMs),
  };
}

/** The `inference_payloads` row of an inference.payload event. */
export function toInferencePayloadRow(envelope: Envelope): InferencePayloadRow | undefined {
  const payload = envelope.payload;
  if (payload?.$case !== 'inferencePayload') return undefined;
  const call = payload.value;
  return {
    time: toClickHouseDateTime64(envelope.occurredAt),
    event_id: envelope.eventId,
    request_id: envelope.requestId,
    trace_id: envelope.traceId,
    principal_id: envelope.principal?.id ?? '',
    endpoint: envelope.endpoint,
    tags: envelope.tags,
    operation: call.operation,
    provider: call.provider,
    model: call.model,
    stream: call.stream,
    status: uint(call.status, 0xffff),
    latency_ms: float(call.latencyMs),
    error_code: call.errorCode,
    error_message: call.errorMessage,
    request_body: call.requestBody,
    response_body: call.responseBody,
    truncated: call.truncated,
    // At least one day, so a row is never born expired.
    retention_days: Math.max(1, uint(call.retentionDays, 3650)),
  };
}
