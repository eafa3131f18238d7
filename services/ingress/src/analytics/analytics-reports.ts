import { type AnalyticsServiceClient } from '@aigw/contracts';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { type AnalyticsQuery } from './analytics-query';
import { parseDimensions } from './analytics-dimensions';
import { parseTimeRange, type TimeRange } from './analytics-time-range';
import { guardrailsQuery, mcpQuery } from './event-queries';
import {
  payloadQuery,
  requestRowQuery,
  searchRequestsQuery,
  timelineQuery,
} from './request-explorer-queries';
import { parseTagFilter, type RequestFilters } from './request-filters';
import { errorsQuery, latencyQuery } from './request-queries';
import { type UsageOrder, usageQuery, usageSource } from './usage-queries';
import { type ReportParameters } from './report-parameters';

type Row = Record<string, unknown>;

/** A report: the window it covers, which table answered, and its rows. */
export interface Report {
  readonly object: 'analytics.report';
  readonly report: string;
  readonly since: string;
  readonly until: string;
  readonly source?: string;
  readonly rows: Row[];
}

/** One request: its row, its events in order, and its logged bodies if any. */
export interface RequestTimeline {
  readonly object: 'analytics.request_timeline';
  readonly request_id: string;
  readonly request: Row | null;
  readonly events: Row[];
  readonly payload: Row | null;
}

/**
 * The analytics use cases behind the admin API, the CLI and the dashboard. Every query is built
 * from whitelisted dimensions with bound parameters and runs read-only in the analytics service.
 */
export class AnalyticsReports {
  constructor(private readonly analytics: AnalyticsServiceClient) {}

  async usage(input: ReportParameters, defaults: { order?: UsageOrder } = {}): Promise<Report> {
    const dimensions = parseDimensions(input.by);
    const range = parseTimeRange(input.since, input.until);
    const filters = filtersOf(input);
    const order = input.order ?? defaults.order ?? 'cost';
    const query = usageQuery(dimensions, range, filters, order, input.limit ?? 1000);
    return this.report('usage', range, query, usageSource(dimensions, filters));
  }

  /** The biggest principals (or endpoints, models …) by cost, requests or tokens. */
  async top(input: ReportParameters): Promise<Report> {
    const by = input.by ?? 'principal';
    const report = await this.usage({ ...input, by, limit: input.limit ?? 10 });
    return { ...report, report: 'top' };
  }

  async errors(input: ReportParameters): Promise<Report> {
    const range = parseTimeRange(input.since, input.until);
    const query = errorsQuery(
      parseDimensions(input.by),
      range,
      filtersOf(input),
      input.limit ?? 1000,
    );
    return this.report('errors', range, query, 'requests');
  }

  async latency(input: ReportParameters): Promise<Report> {
    const range = parseTimeRange(input.since, input.until);
    const query = latencyQuery(
      parseDimensions(input.by),
      range,
      filtersOf(input),
      input.limit ?? 1000,
    );
    return this.report('latency', range, query, 'requests');
  }

  async guardrails(input: ReportParameters): Promise<Report> {
    const range = parseTimeRange(input.since, input.until);
    return this.report(
      'guardrails',
      range,
      guardrailsQuery(input.by, range, input.limit ?? 1000),
      'guardrail_findings',
    );
  }

  async mcp(input: ReportParameters): Promise<Report> {
    const range = parseTimeRange(input.since, input.until);
    return this.report('mcp', range, mcpQuery(input.by, range, input.limit ?? 1000), 'mcp_calls');
  }

  async requests(input: ReportParameters): Promise<Report> {
    const range = parseTimeRange(input.since, input.until);
    const query = searchRequestsQuery(input.search, range, filtersOf(input), input.limit ?? 100);
    return this.report('requests', range, query, 'requests');
  }

  async timeline(requestId: string): Promise<RequestTimeline> {
    if (requestId.length === 0 || requestId.length > 256) {
      throw new GatewayError(GatewayErrorCode.InvalidRequest, 'request id: 1 to 256 characters');
    }
    const [request, events, payload] = await Promise.all([
      this.run(requestRowQuery(requestId)),
      this.run(timelineQuery(requestId)),
      this.run(payloadQuery(requestId)),
    ]);
    if (request.length === 0 && events.length === 0) {
      throw new GatewayError(
        GatewayErrorCode.NotFound,
        `No request with id "${requestId.slice(0, 80)}".`,
      );
    }
    return {
      object: 'analytics.request_timeline',
      request_id: requestId,
      request: request[0] ?? null,
      events: events.map(({ payload: json, ...event }) => ({ ...event, event: parseJson(json) })),
      payload: payload[0] ?? null,
    };
  }

  private async report(
    report: string,
    range: TimeRange,
    query: AnalyticsQuery,
    source: string,
  ): Promise<Report> {
    return {
      object: 'analytics.report',
      report,
      since: range.since.toISOString(),
      until: range.until.toISOString(),
      source,
      rows: await this.run(query),
    };
  }

  private async run(query: AnalyticsQuery): Promise<Row[]> {
    let rowsJson: Buffer;
    try {
      ({ rowsJson } = await this.analytics.query({ sql: query.sql, params: { ...query.params } }));
    } catch (error) {
      // The SQL is ours: a failure is the store's (down, or a server too old), not the caller's.
      const message = error instanceof Error ? error.message.replace(/^\/[^ ]+ /, '') : '';
      throw new GatewayError(
        GatewayErrorCode.ServiceUnavailable,
        `The analytics store could not answer: ${message.slice(0, 300)}`,
      );
    }
    return JSON.parse(rowsJson.toString('utf8')) as Row[];
  }
}

function filtersOf(input: ReportParameters): RequestFilters {
  return {
    endpoint: input.endpoint,
    principal: input.principal,
    model: input.model,
    provider: input.provider,
    tag: parseTagFilter(input.tag),
  };
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
