import { type Migration } from './migration';

/**
 * Who did what (authz decisions, guardrail violations, MCP calls, admin changes), guardrail
 * findings, and full inference payloads. All keyed on the event id in a ReplacingMergeTree, so
 * a redelivered event collapses (exact reads use FINAL). Copies of one event share `time`, so
 * they always meet in one partition.
 */
export const auditAndPayloadsMigration: Migration = {
  version: 6,
  name: 'audit_and_payloads',
  statements: [
    `CREATE TABLE IF NOT EXISTS audit_log
(
    time           DateTime64(3, 'UTC'),
    event_id       UUID,
    request_id     String,
    trace_id       String,
    category       LowCardinality(String),
    action         LowCardinality(String),
    outcome        LowCardinality(String),
    principal_id   String,
    principal_kind LowCardinality(String),
    groups         Array(String),
    endpoint       LowCardinality(String),
    tags           Map(String, String),
    service        LowCardinality(String),
    detail         String CODEC(ZSTD(3)),
    inserted_at    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (category, time, event_id)`,
    `CREATE TABLE IF NOT EXISTS guardrail_findings
(
    time          DateTime64(3, 'UTC'),
    event_id      UUID,
    request_id    String,
    principal_id  String,
    groups        Array(String),
    endpoint      LowCardinality(String),
    tags          Map(String, String),
    guardrail     LowCardinality(String),
    stage         LowCardinality(String),
    verdict       LowCardinality(String),
    action        LowCardinality(String),
    entity_types  Array(String),
    entity_counts Array(UInt32),
    score         Nullable(Float64),
    judge_model   LowCardinality(String),
    latency_ms    Float64,
    inserted_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (guardrail, time, event_id)`,
    `CREATE TABLE IF NOT EXISTS inference_payloads
(
    time           DateTime64(3, 'UTC'),
    event_id       UUID,
    request_id     String,
    trace_id       String,
    principal_id   String,
    endpoint       LowCardinality(String),
    tags           Map(String, String),
    operation      LowCardinality(String),
    provider       LowCardinality(String),
    model          LowCardinality(String),
    stream         Bool,
    status         UInt16,
    latency_ms     Float64,
    error_code     LowCardinality(String),
    error_message  String,
    request_body   String CODEC(ZSTD(3)),
    response_body  String CODEC(ZSTD(3)),
    truncated      Bool,
    retention_days UInt16,
    inserted_at    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (request_id, event_id)
TTL toDateTime(time) + toIntervalDay(retention_days)`,
  ],
};
