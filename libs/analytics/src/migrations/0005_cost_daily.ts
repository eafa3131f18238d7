import { type Migration } from './migration';

/**
 * Daily cost and usage rollup, fed by materialized views on every insert into `requests`.
 *
 * A request has several groups and tags, so each view writes one row per value of ONE
 * dimension: `all` (value ''), `group`, `tag:<key>` (request tag) or `endpoint_tag:<key>`.
 * Summing within one dimension never counts a request twice; endpoint, principal, model and
 * provider are on every row. Read with `sum(…) … GROUP BY` (SummingMergeTree merges lazily).
 * The sink inserts a request's row once (it skips ids already in `requests`), so redelivered
 * events are not summed twice.
 */
const columns = `
    day               Date,
    dimension         LowCardinality(String),
    value             String,
    endpoint          LowCardinality(String),
    principal_id      String,
    model             LowCardinality(String),
    provider          LowCardinality(String),
    requests          UInt64,
    errors            UInt64,
    fallbacks         UInt64,
    prompt_tokens     UInt64,
    completion_tokens UInt64,
    cached_tokens     UInt64,
    cost_usd          Decimal(38, 9),
    latency_ms_sum    Float64`;

const measures = `
    count() AS requests,
    countIf(status >= 400) AS errors,
    countIf(length(fallbacks) > 0) AS fallbacks,
    sum(prompt_tokens) AS prompt_tokens,
    sum(completion_tokens) AS completion_tokens,
    sum(cached_tokens) AS cached_tokens,
    sum(toDecimal128(ifNull(cost_usd, 0), 9)) AS cost_usd,
    sum(latency_ms) AS latency_ms_sum`;

const keys = 'endpoint, principal_id, model, provider';

function view(name: string, dimension: string, value: string, arrayJoin: string): string {
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${name} TO cost_daily AS
SELECT toDate(time) AS day, ${dimension} AS dimension, ${value} AS value, ${keys},${measures}
FROM requests ${arrayJoin}
GROUP BY day, dimension, value, ${keys}`;
}

export const costDailyMigration: Migration = {
  version: 5,
  name: 'cost_daily',
  statements: [
    `CREATE TABLE IF NOT EXISTS cost_daily
(${columns}
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, dimension, value, endpoint, principal_id, model, provider)`,
    view('cost_daily_all_mv', `'all'`, `''`, ''),
    view('cost_daily_group_mv', `'group'`, 'group_name', 'ARRAY JOIN groups AS group_name'),
    view(
      'cost_daily_tag_mv',
      `concat('tag:', tag.1)`,
      'tag.2',
      'ARRAY JOIN arrayZip(mapKeys(tags), mapValues(tags)) AS tag',
    ),
    view(
      'cost_daily_endpoint_tag_mv',
      `concat('endpoint_tag:', tag.1)`,
      'tag.2',
      'ARRAY JOIN arrayZip(mapKeys(endpoint_tags), mapValues(endpoint_tags)) AS tag',
    ),
  ],
};
