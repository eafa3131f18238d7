import { type AnalyticsQuery, QueryParameters } from './analytics-query';
import { type TimeRange } from './analytics-time-range';
import { requestConditions, type RequestFilters } from './request-filters';

const requestColumns = `time, request_id, trace_id, principal_id, principal_kind,
  groups, endpoint, endpoint_tags, tags, provider, model, operation, stream, attempts, fallbacks,
  status, error_code, error_class, guardrail_actions, prompt_tokens, completion_tokens,
  cached_tokens, cost_usd, latency_ms, ttft_ms`;

/**
 * Recent requests, newest first. `search` matches a request id or trace id (exact or prefix) or
 * a principal id (exact).
 */
export function searchRequestsQuery(
  search: string | undefined,
  range: TimeRange,
  filters: RequestFilters,
  limit: number,
): AnalyticsQuery {
  const params = new QueryParameters();
  const conditions = requestConditions(params, range, filters);
  if (search) {
    const term = params.bind(search);
    conditions.push(
      `(startsWith(request_id, ${term}) OR startsWith(trace_id, ${term}) OR principal_id = ${term})`,
    );
  }
  return params.query(`SELECT ${requestColumns}
FROM requests FINAL
WHERE ${conditions.join(' AND ')}
ORDER BY time DESC
LIMIT ${params.bind(limit, 'UInt32')}`);
}

/** The `requests` row of one request. */
export function requestRowQuery(requestId: string): AnalyticsQuery {
  const params = new QueryParameters();
  return params.query(`SELECT ${requestColumns}
FROM requests FINAL
WHERE request_id = ${params.bind(requestId)}`);
}

/** Every event of one request, in order. */
export function timelineQuery(requestId: string): AnalyticsQuery {
  const params = new QueryParameters();
  return params.query(`SELECT occurred_at, type, service, event_id, payload
FROM events FINAL
WHERE request_id = ${params.bind(requestId)}
ORDER BY occurred_at,
  -- Events of one millisecond: the request's start first, its end last.
  multiIf(type = 'request.received', 0, type IN ('request.completed', 'request.failed'), 2, 1),
  event_id`);
}

/** The logged bodies of one request (only where the endpoint logs payloads). */
export function payloadQuery(requestId: string): AnalyticsQuery {
  const params = new QueryParameters();
  return params.query(`SELECT time, status, latency_ms, error_code, error_message,
  request_body, response_body, truncated, retention_days
FROM inference_payloads FINAL
WHERE request_id = ${params.bind(requestId)}
ORDER BY time DESC
LIMIT 1`);
}
