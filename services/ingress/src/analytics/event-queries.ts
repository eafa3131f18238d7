import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { type AnalyticsQuery, QueryParameters } from './analytics-query';
import { clickHouseTime, type TimeRange } from './analytics-time-range';

function timeConditions(params: QueryParameters, range: TimeRange, column: string): string[] {
  return [
    `${column} >= ${params.bind(clickHouseTime(range.since), "DateTime64(3, 'UTC')")}`,
    `${column} < ${params.bind(clickHouseTime(range.until), "DateTime64(3, 'UTC')")}`,
  ];
}

function pickColumns(
  by: string | undefined,
  allowed: Readonly<Record<string, string>>,
  fallback: readonly string[],
): [string, string][] {
  const names = by ? by.split(',').map((name) => name.trim()) : [...fallback];
  return names.map((name) => {
    const expression = allowed[name];
    if (!expression) {
      throw new GatewayError(
        GatewayErrorCode.InvalidRequest,
        `by: unknown dimension "${name.slice(0, 80)}"; use ${Object.keys(allowed).join(', ')}`,
        { param: 'by' },
      );
    }
    return [name, expression];
  });
}

const guardrailColumns: Record<string, string> = {
  guardrail: 'guardrail',
  verdict: 'verdict',
  stage: 'stage',
  action: 'action',
  endpoint: 'endpoint',
  principal: 'principal_id',
  day: 'toDate(time)',
  hour: 'toStartOfHour(time)',
  entity_type: 'entity_type',
};

/** Guardrail hits (masked or blocked) grouped by guardrail, verdict, … */
export function guardrailsQuery(
  by: string | undefined,
  range: TimeRange,
  limit: number,
): AnalyticsQuery {
  const params = new QueryParameters();
  const columns = pickColumns(by, guardrailColumns, ['guardrail', 'verdict']);
  const perEntity = columns.some(([name]) => name === 'entity_type');
  const names = columns.map(([name]) => `\`${name}\``).join(', ');
  return params.query(`SELECT ${columns.map(([name, sql]) => `${sql} AS \`${name}\``).join(', ')},
  toUInt64(count()) AS hit_count
FROM guardrail_findings FINAL${perEntity ? ' ARRAY JOIN entity_types AS entity_type' : ''}
WHERE ${timeConditions(params, range, 'time').join(' AND ')}
GROUP BY ${names}
ORDER BY hit_count DESC, ${names}
LIMIT ${params.bind(limit, 'UInt32')}`);
}

const mcpColumns: Record<string, string> = {
  connection: 'connection',
  tool: 'tool',
  method: 'mcp_method',
  status: 'status',
  principal: 'principal_id',
  on_behalf_of_user: 'on_behalf_of_user',
  day: 'toDate(time)',
  hour: 'toStartOfHour(time)',
};

/** MCP calls (`mcp_calls`) grouped by connection, tool, status, … */
export function mcpQuery(by: string | undefined, range: TimeRange, limit: number): AnalyticsQuery {
  const params = new QueryParameters();
  const columns = pickColumns(by, mcpColumns, ['connection', 'tool', 'status']);
  const names = columns.map(([name]) => `\`${name}\``).join(', ');
  return params.query(`SELECT ${columns.map(([name, sql]) => `${sql} AS \`${name}\``).join(', ')},
  toUInt64(count()) AS call_count,
  round(avg(latency_ms), 3) AS avg_latency_ms
FROM mcp_calls FINAL
WHERE ${timeConditions(params, range, 'time').join(' AND ')}
GROUP BY ${names}
ORDER BY call_count DESC, ${names}
LIMIT ${params.bind(limit, 'UInt32')}`);
}
