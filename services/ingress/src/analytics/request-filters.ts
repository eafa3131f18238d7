import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { type QueryParameters } from './analytics-query';
import { clickHouseTime, type TimeRange } from './analytics-time-range';

/** Optional narrowing of a report: exact matches on the `requests` columns. */
export interface RequestFilters {
  readonly endpoint?: string;
  readonly principal?: string;
  readonly model?: string;
  readonly provider?: string;
  /** `key:value` of a request tag. */
  readonly tag?: { readonly key: string; readonly value: string };
}

/** Reads `tag=team:search` into a filter; 400 when it has no colon. */
export function parseTagFilter(tag: string | undefined): RequestFilters['tag'] {
  if (tag === undefined || tag === '') return undefined;
  const colon = tag.indexOf(':');
  if (colon < 1) {
    throw new GatewayError(GatewayErrorCode.InvalidRequest, 'tag: use key:value', { param: 'tag' });
  }
  return { key: tag.slice(0, colon), value: tag.slice(colon + 1) };
}

/** WHERE conditions on the `requests` table for a time range and filters. */
export function requestConditions(
  params: QueryParameters,
  range: TimeRange,
  filters: RequestFilters,
  timeColumn = 'time',
): string[] {
  const conditions = [
    `${timeColumn} >= ${params.bind(clickHouseTime(range.since), "DateTime64(3, 'UTC')")}`,
    `${timeColumn} < ${params.bind(clickHouseTime(range.until), "DateTime64(3, 'UTC')")}`,
  ];
  conditions.push(...columnConditions(params, filters));
  if (filters.tag) {
    conditions.push(`tags[${params.bind(filters.tag.key)}] = ${params.bind(filters.tag.value)}`);
  }
  return conditions;
}

/** Conditions on endpoint / principal / model / provider (columns of requests and cost_daily). */
export function columnConditions(params: QueryParameters, filters: RequestFilters): string[] {
  const conditions: string[] = [];
  if (filters.endpoint) conditions.push(`endpoint = ${params.bind(filters.endpoint)}`);
  if (filters.principal) conditions.push(`principal_id = ${params.bind(filters.principal)}`);
  if (filters.model) conditions.push(`model = ${params.bind(filters.model)}`);
  if (filters.provider) conditions.push(`provider = ${params.bind(filters.provider)}`);
  return conditions;
}
