import { type AnalyticsServiceClient, type AnalyticsServiceImplementation } from '@aigw/contracts';
import { AnalyticsError, AnalyticsErrorCode, type AnalyticsSink } from '@aigw/analytics';
import { ServerError, Status } from 'nice-grpc';

async function runQuery(
  sink: AnalyticsSink,
  sql: string,
  params: Readonly<Record<string, string>>,
): Promise<{ rowsJson: Buffer }> {
  try {
    const rows = await sink.queryReadOnly(sql, Object.keys(params).length > 0 ? params : undefined);
    return { rowsJson: Buffer.from(JSON.stringify(rows)) };
  } catch (error) {
    if (error instanceof AnalyticsError && error.code === AnalyticsErrorCode.QueryRejected) {
      throw new ServerError(Status.INVALID_ARGUMENT, error.message);
    }
    if (error instanceof AnalyticsError && error.code === AnalyticsErrorCode.StoreFailed) {
      throw new ServerError(Status.INVALID_ARGUMENT, error.message);
    }
    throw error;
  }
}

/** The gRPC face of the analytics store: read-only queries with bound parameters. */
export function analyticsGrpcImplementation(sink: AnalyticsSink): AnalyticsServiceImplementation {
  return { query: async (request) => runQuery(sink, request.sql, request.params) };
}

/** The same client interface in-process (standalone mode). */
export function analyticsInProcessClient(sink: AnalyticsSink): AnalyticsServiceClient {
  return {
    query: async (request) => {
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.params ?? {})) {
        if (value !== undefined) params[name] = value;
      }
      return runQuery(sink, request.sql ?? '', params);
    },
  };
}
