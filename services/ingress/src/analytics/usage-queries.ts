import { type AnalyticsQuery, QueryParameters } from './analytics-query';
import { type Dimension } from './analytics-dimensions';
import { clickHouseTime, type TimeRange } from './analytics-time-range';
import { columnConditions, requestConditions, type RequestFilters } from './request-filters';

/** What a usage report is ordered by (descending). */
export type UsageOrder = 'cost' | 'requests' | 'tokens';

/** Which table answered: the daily rollup (whole UTC days) or the per-request table. */
export type UsageSource = 'cost_daily' | 'requests';

const rollupColumns: Partial<Record<string, string>> = {
  endpoint: 'endpoint',
  principal: 'principal_id',
  model: 'model',
  provider: 'provider',
  day: 'day',
};

const requestColumns: Record<string, string> = {
  endpoint: 'endpoint',
  principal: 'principal_id',
  model: 'model',
  provider: 'provider',
  day: 'toDate(time)',
  hour: 'toStartOfHour(time)',
  status: 'status',
  error_code: 'error_code',
};

/**
 * The daily rollup answers when at most one dimension is multi-valued (group, a request tag or
 * an endpoint tag: the rollup keeps one such dimension per row) and every other dimension and
 * filter is a rollup column. Otherwise the query reads `requests` (exact to the millisecond).
 */
export function usageSource(
  dimensions: readonly Dimension[],
  filters: RequestFilters,
): UsageSource {
  const multiValued = dimensions.filter((dimension) => dimension.kind !== 'column');
  const columnsOk = dimensions.every(
    (dimension) => dimension.kind !== 'column' || rollupColumns[dimension.name] !== undefined,
  );
  return multiValued.length <= 1 && columnsOk && !filters.tag ? 'cost_daily' : 'requests';
}

/** Cost and usage grouped by `dimensions` over `range`, biggest first. */
export function usageQuery(
  dimensions: readonly Dimension[],
  range: TimeRange,
  filters: RequestFilters,
  order: UsageOrder,
  limit: number,
): AnalyticsQuery {
  return usageSource(dimensions, filters) === 'cost_daily'
    ? rollupUsageQuery(dimensions, range, filters, order, limit)
    : requestsUsageQuery(dimensions, range, filters, order, limit);
}

function rollupUsageQuery(
  dimensions: readonly Dimension[],
  range: TimeRange,
  filters: RequestFilters,
  order: UsageOrder,
  limit: number,
): AnalyticsQuery {
  const params = new QueryParameters();
  const multiValued = dimensions.find((dimension) => dimension.kind !== 'column');
  const selected = dimensions.map(
    (dimension) =>
      `${dimension.kind === 'column' ? rollupColumns[dimension.name]! : 'value'} AS \`${dimension.name}\``,
  );
  const conditions = [
    `dimension = ${params.bind(multiValued?.name ?? 'all')}`,
    `day >= toDate(${params.bind(clickHouseTime(range.since), "DateTime64(3, 'UTC')")})`,
    `day <= toDate(${params.bind(clickHouseTime(range.until), "DateTime64(3, 'UTC')")})`,
    ...columnConditions(params, filters),
  ];
  const sql = `SELECT ${[
    ...selected,
    'toUInt64(sum(requests)) AS request_count',
    'toUInt64(sum(errors)) AS error_count',
    'toUInt64(sum(fallbacks)) AS fallback_count',
    'toUInt64(sum(prompt_tokens)) AS input_tokens',
    'toUInt64(sum(completion_tokens)) AS output_tokens',
    'toUInt64(sum(cached_tokens)) AS cached_input_tokens',
    'toString(sum(cost_usd)) AS total_cost_usd',
    'round(sum(latency_ms_sum) / greatest(sum(requests), 1), 3) AS avg_latency_ms',
  ].join(', ')}
FROM cost_daily
WHERE ${conditions.join(' AND ')}
${groupBy(dimensions)}
ORDER BY ${rollupOrder[order]} DESC
LIMIT ${params.bind(limit, 'UInt32')}`;
  return params.query(sql);
}

const rollupOrder: Record<UsageOrder, string> = {
  cost: 'sum(cost_usd)',
  requests: 'sum(requests)',
  tokens: 'sum(prompt_tokens) + sum(completion_tokens)',
};

const requestOrder: Record<UsageOrder, string> = {
  cost: 'sum(toDecimal128(ifNull(cost_usd, 0), 9))',
  requests: 'count()',
  tokens: 'sum(prompt_tokens) + sum(completion_tokens)',
};

function requestsUsageQuery(
  dimensions: readonly Dimension[],
  range: TimeRange,
  filters: RequestFilters,
  order: UsageOrder,
  limit: number,
): AnalyticsQuery {
  const params = new QueryParameters();
  const from = requestsSource(dimensions);
  const selected = dimensions.map(
    (dimension) => `${requestDimension(dimension, params)} AS \`${dimension.name}\``,
  );
  const conditions = [
    ...requestConditions(params, range, filters),
    ...dimensions.flatMap((dimension) => tagPresence(dimension, params)),
  ];
  const sql = `SELECT ${[
    ...selected,
    'toUInt64(count()) AS request_count',
    'toUInt64(countIf(status >= 400)) AS error_count',
    'toUInt64(countIf(length(fallbacks) > 0)) AS fallback_count',
    'toUInt64(sum(prompt_tokens)) AS input_tokens',
    'toUInt64(sum(completion_tokens)) AS output_tokens',
    'toUInt64(sum(cached_tokens)) AS cached_input_tokens',
    'toString(sum(toDecimal128(ifNull(cost_usd, 0), 9))) AS total_cost_usd',
    'round(avg(latency_ms), 3) AS avg_latency_ms',
  ].join(', ')}
FROM ${from}
WHERE ${conditions.join(' AND ')}
${groupBy(dimensions)}
ORDER BY ${requestOrder[order]} DESC
LIMIT ${params.bind(limit, 'UInt32')}`;
  return params.query(sql);
}

/** `requests FINAL`, with one row per group when grouping by group. */
export function requestsSource(dimensions: readonly Dimension[]): string {
  return dimensions.some((dimension) => dimension.kind === 'group')
    ? 'requests FINAL ARRAY JOIN groups AS group_name'
    : 'requests FINAL';
}

/** The SQL expression of a dimension on the `requests` table. */
export function requestDimension(dimension: Dimension, params: QueryParameters): string {
  switch (dimension.kind) {
    case 'column':
      return requestColumns[dimension.name]!;
    case 'group':
      return 'group_name';
    case 'tag':
      return `tags[${params.bind(dimension.key)}]`;
    case 'endpoint_tag':
      return `endpoint_tags[${params.bind(dimension.key)}]`;
  }
}

/** Grouping by a tag reports requests that carry it (as the rollup does). */
export function tagPresence(dimension: Dimension, params: QueryParameters): string[] {
  switch (dimension.kind) {
    case 'tag':
      return [`mapContains(tags, ${params.bind(dimension.key)})`];
    case 'endpoint_tag':
      return [`mapContains(endpoint_tags, ${params.bind(dimension.key)})`];
    case 'column':
    case 'group':
      return [];
  }
}

/** `GROUP BY` the dimensions' output names ('' when there are none). */
export function groupBy(dimensions: readonly Dimension[]): string {
  return dimensions.length > 0
    ? `GROUP BY ${dimensions.map((dimension) => `\`${dimension.name}\``).join(', ')}`
    : '';
}
