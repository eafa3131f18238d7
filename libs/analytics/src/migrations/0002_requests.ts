import { type Migration } from './migration';

/**
 * One row per finished request (from request.completed / request.failed): what FinOps and
 * dashboards group by. Sorted by request_id so a redelivered terminal event collapses into
 * the same row; readers use FINAL. Partitioned by the month of `time`: every copy of one
 * event has the same time, so copies always meet in one partition.
 */
export const createRequestsTableSql = `
CREATE TABLE IF NOT EXISTS requests
(
    time              DateTime64(3, 'UTC'),
    request_id        String,
    trace_id          String,
    principal_id      String,
    principal_kind    LowCardinality(String),
    groups            Array(String),
    endpoint          LowCardinality(String),
    tags              Map(String, String),
    provider          LowCardinality(String),
    model             LowCardinality(String),
    operation         LowCardinality(String),
    stream            Bool,
    attempts          UInt16,
    status            UInt16,
    error_code        LowCardinality(String),
    prompt_tokens     UInt64,
    completion_tokens UInt64,
    cached_tokens     UInt64,
    reasoning_tokens  UInt64,
    total_tokens      UInt64,
    cost_usd          Nullable(Decimal(18, 9)),
    latency_ms        Float64,
    ttft_ms           Float64,
    inserted_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(time)
ORDER BY request_id
`;

/** Creates the `requests` table. */
export const requestsMigration: Migration = {
  version: 2,
  name: 'requests',
  statements: [createRequestsTableSql],
};
