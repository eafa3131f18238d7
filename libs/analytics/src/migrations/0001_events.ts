import { type Migration } from './migration';

/**
 * Raw history: one row per event, as received. A redelivered event has the same sorting key
 * (request_id, event_id), so ReplacingMergeTree collapses the copies; exact reads use FINAL.
 */
export const createEventsTableSql = `
CREATE TABLE IF NOT EXISTS events
(
    event_id       UUID,
    request_id     String,
    trace_id       String,
    type           LowCardinality(String),
    occurred_at    DateTime64(3, 'UTC'),
    service        LowCardinality(String),
    principal_id   String,
    principal_kind LowCardinality(String),
    groups         Array(String),
    endpoint       LowCardinality(String),
    tags           Map(String, String),
    payload        String CODEC(ZSTD(3)),
    inserted_at    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (request_id, event_id)
`;

/** Creates the `events` table. */
export const eventsMigration: Migration = {
  version: 1,
  name: 'events',
  statements: [createEventsTableSql],
};
