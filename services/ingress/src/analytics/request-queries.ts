import { type AnalyticsQuery, QueryParameters } from './analytics-query';
import { type Dimension } from './analytics-dimensions';
import { type TimeRange } from './analytics-time-range';
import { requestConditions, type RequestFilters } from './request-filters';
import { groupBy, requestDimension, requestsSource, tagPresence } from './usage-queries';

function grouped(
  measures: readonly string[],
  dimensions: readonly Dimension[],
  range: TimeRange,
  filters: RequestFilters,
  extraConditions: readonly string[],
  orderBy: string,
  limit: number,
): AnalyticsQuery {
  const params = new QueryParameters();
  const selected = dimensions.map(
    (dimension) => `${requestDimension(dimension, params)} AS \`${dimension.name}\``,
  );
  const conditions = [
    ...requestConditions(params, range, filters),
    ...dimensions.flatMap((dimension) => tagPresence(dimension, params)),
    ...extraConditions,
  ];
  return params.query(`SELECT ${[...selected, ...measures].join(', ')}
FROM ${requestsSource(dimensions)}
WHERE ${conditions.join(' AND ')}
${groupBy(dimensions)}
ORDER BY ${orderBy}
LIMIT ${params.bind(limit, 'UInt32')}`);
}

/** Error and fallback counts and rates per group. */
export function errorsQuery(
  dimensions: readonly Dimension[],
  range: TimeRange,
  filters: RequestFilters,
  limit: number,
): AnalyticsQuery {
  return grouped(
    [
      'toUInt64(count()) AS request_count',
      'toUInt64(countIf(status >= 400)) AS error_count',
      'round(countIf(status >= 400) / count(), 4) AS error_rate',
      'toUInt64(countIf(length(fallbacks) > 0)) AS fallback_count',
      'round(countIf(length(fallbacks) > 0) / count(), 4) AS fallback_rate',
      "topKIf(3)(error_code, error_code != '') AS top_error_codes",
    ],
    dimensions,
    range,
    filters,
    [],
    dimensions.length > 0 ? groupBy(dimensions).replace('GROUP BY', '') : 'request_count DESC',
    limit,
  );
}

/** Latency and time-to-first-token percentiles of successful requests per group. */
export function latencyQuery(
  dimensions: readonly Dimension[],
  range: TimeRange,
  filters: RequestFilters,
  limit: number,
): AnalyticsQuery {
  return grouped(
    [
      'toUInt64(count()) AS request_count',
      'round(quantile(0.5)(latency_ms), 3) AS p50_latency_ms',
      'round(quantile(0.9)(latency_ms), 3) AS p90_latency_ms',
      'round(quantile(0.99)(latency_ms), 3) AS p99_latency_ms',
      'round(quantile(0.5)(ttft_ms), 3) AS p50_ttft_ms',
      'round(quantile(0.99)(ttft_ms), 3) AS p99_ttft_ms',
    ],
    dimensions,
    range,
    filters,
    ['status < 400'],
    dimensions.length > 0 ? groupBy(dimensions).replace('GROUP BY', '') : 'request_count DESC',
    limit,
  );
}
