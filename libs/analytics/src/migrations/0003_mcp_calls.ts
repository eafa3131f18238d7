import { type Migration } from './migration';

/**
 * One row per MCP operation (from mcp.called): who called which tool on which connection, on
 * whose credential, how it ended. Keyed on the event id in a ReplacingMergeTree, so a
 * redelivered event collapses (exact reads use FINAL).
 */
export const mcpCallsMigration: Migration = {
  version: 3,
  name: 'mcp_calls',
  statements: [
    `CREATE TABLE IF NOT EXISTS mcp_calls
(
    time              DateTime64(3, 'UTC'),
    event_id          UUID,
    request_id        String,
    trace_id          String,
    service           LowCardinality(String),
    principal_id      String,
    principal_kind    LowCardinality(String),
    groups            Array(String),
    tags              Map(String, String),
    connection        LowCardinality(String),
    http_method       LowCardinality(String),
    mcp_method        LowCardinality(String),
    tool              String,
    auth              LowCardinality(String),
    on_behalf_of_user Bool,
    status            LowCardinality(String),
    error_code        LowCardinality(String),
    reason            String,
    latency_ms        Float64,
    argument_bytes    UInt32,
    result_bytes      UInt32,
    inserted_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (connection, time, event_id)`,
  ],
};
