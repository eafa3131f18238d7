import { Envelope, PrincipalKind } from '@aigw/contracts';
import { toClickHouseDateTime64 } from './clickhouse-datetime';

/** Table names the rows below belong to. */
export const AnalyticsTables = {
  events: 'events',
  requests: 'requests',
  auditLog: 'audit_log',
  guardrailFindings: 'guardrail_findings',
  inferencePayloads: 'inference_payloads',
  mcpCalls: 'mcp_calls',
} as const;

/** What other events of a request add to its `requests` row (see request-annotations.ts). */
export interface RequestAnnotations {
  /** `provider/model` of each target that failed over to the next one, in order. */
  readonly fallbacks: readonly string[];
  /** Error class of the last failed provider attempt ("" when none failed). */
  readonly errorClass: string;
  /** `stage:guardrail:verdict` for each guardrail that masked or blocked. */
  readonly guardrailActions: readonly string[];
}

const noAnnotations: RequestAnnotations = { fallbacks: [], errorClass: '', guardrailActions: [] };

/** A row of the `events` table (column name → JSONEachRow value). */
export type EventRow = {
  readonly event_id: string;
  readonly request_id: string;
  readonly trace_id: string;
  readonly type: string;
  readonly occurred_at: string;
  readonly service: string;
  readonly principal_id: string;
  readonly principal_kind: string;
  readonly groups: readonly string[];
  readonly endpoint: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The whole event as proto3 JSON. */
  readonly payload: string;
};

/** A row of the `requests` table: one per finished request. */
export type RequestRow = {
  readonly time: string;
  readonly request_id: string;
  readonly trace_id: string;
  readonly principal_id: string;
  readonly principal_kind: string;
  readonly groups: readonly string[];
  readonly endpoint: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The endpoint's configured tags (cost centre, team …). */
  readonly endpoint_tags: Readonly<Record<string, string>>;
  readonly provider: string;
  readonly model: string;
  readonly operation: string;
  readonly stream: boolean;
  readonly attempts: number;
  readonly fallbacks: readonly string[];
  readonly status: number;
  readonly error_code: string;
  readonly error_class: string;
  readonly guardrail_actions: readonly string[];
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly cached_tokens: number;
  readonly reasoning_tokens: number;
  readonly total_tokens: number;
  /** Decimal string, or null when the model has no known price. */
  readonly cost_usd: string | null;
  readonly latency_ms: number;
  readonly ttft_ms: number;
};

/** Maps any event to its `events` row; `payloadJson` is its proto3 JSON when already at hand. */
export function toEventRow(envelope: Envelope, payloadJson?: string): EventRow {
  const principal = envelope.principal;
  return {
    event_id: envelope.eventId,
    request_id: envelope.requestId,
    trace_id: envelope.traceId,
    type: envelope.type,
    occurred_at: toClickHouseDateTime64(envelope.occurredAt),
    service: envelope.service,
    principal_id: principal?.id ?? '',
    principal_kind: principal ? principalKindName(principal.kind) : '',
    groups: principal?.groups ?? [],
    endpoint: envelope.endpoint,
    tags: envelope.tags,
    // The record as read is already this JSON: reuse it rather than encode it again.
    payload: payloadJson ?? JSON.stringify(Envelope.toJSON(envelope)),
  };
}

/**
 * Maps a terminal event (request.completed / request.failed) to its `requests` row; any other
 * event gives undefined. Values are clamped to the column types, because one row ClickHouse
 * refuses would fail the whole batch on every redelivery.
 */
export function toRequestRow(
  envelope: Envelope,
  annotations: RequestAnnotations = noAnnotations,
  endpointTags: Readonly<Record<string, string>> = {},
): RequestRow | undefined {
  const payload = envelope.payload;
  if (payload?.$case !== 'requestCompleted' && payload?.$case !== 'requestFailed') {
    return undefined;
  }
  // Every row is one object literal with all its columns: spreading a shared part into it
  // costs V8 a slow property-by-property copy, many times the rest of this function.
  const value = payload.value;
  const principal = envelope.principal;
  const failed = payload.$case === 'requestFailed';
  const usage = payload.$case === 'requestCompleted' ? payload.value.usage : undefined;
  const prompt = failed ? 0 : uint(usage?.promptTokens);
  const completion = failed ? 0 : uint(usage?.completionTokens);
  return {
    time: toClickHouseDateTime64(envelope.occurredAt),
    request_id: envelope.requestId,
    trace_id: envelope.traceId,
    principal_id: principal?.id ?? '',
    principal_kind: principal ? principalKindName(principal.kind) : '',
    groups: principal?.groups ?? [],
    endpoint: envelope.endpoint,
    tags: envelope.tags,
    endpoint_tags: endpointTags,
    provider: value.provider,
    model: value.model,
    operation: value.operation,
    stream: value.stream,
    attempts: uint(value.attempts, 0xffff),
    fallbacks: annotations.fallbacks,
    status: uint(value.status, 0xffff),
    error_class: annotations.errorClass,
    guardrail_actions: annotations.guardrailActions,
    latency_ms: float(value.latencyMs),
    error_code: payload.$case === 'requestFailed' ? payload.value.errorCode : '',
    prompt_tokens: prompt,
    completion_tokens: completion,
    cached_tokens: failed ? 0 : uint(usage?.cachedTokens),
    reasoning_tokens: failed ? 0 : uint(usage?.reasoningTokens),
    total_tokens: prompt + completion,
    cost_usd: payload.$case === 'requestCompleted' ? decimalOrNull(payload.value.costUsd) : null,
    ttft_ms: payload.$case === 'requestCompleted' ? float(payload.value.ttftMs) : 0,
  };
}

export function principalColumns(
  envelope: Envelope,
): Pick<EventRow, 'principal_id' | 'principal_kind' | 'groups'> {
  const principal = envelope.principal;
  return {
    principal_id: principal?.id ?? '',
    principal_kind: principal ? principalKindName(principal.kind) : '',
    groups: principal?.groups ?? [],
  };
}

/** "user", "service", or "" when unspecified. */
export function principalKindName(kind: PrincipalKind): string {
  switch (kind) {
    case PrincipalKind.PRINCIPAL_KIND_USER:
      return 'user';
    case PrincipalKind.PRINCIPAL_KIND_SERVICE:
      return 'service';
    case PrincipalKind.PRINCIPAL_KIND_UNSPECIFIED:
      return '';
    case PrincipalKind.UNRECOGNIZED:
      return 'unrecognized';
  }
}

// Decimal(18, 9): at most 9 integer digits; extra fraction digits are rounded by ClickHouse.
const decimalCost = /^\d{1,9}(\.\d+)?$/;

function decimalOrNull(value: string): string | null {
  const trimmed = value.trim();
  return decimalCost.test(trimmed) ? trimmed : null;
}

/** A UInt column value: non-negative integer, clamped to `max`; 0 for missing or invalid. */
export function uint(value: number | undefined, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || !Number.isFinite(value) || value < 0) return 0;
  return Math.min(Math.trunc(value), max);
}

/** A Float64 column value; 0 for NaN / Infinity. */
export function float(value: number): number {
  return Number.isFinite(value) ? value : 0;
}
