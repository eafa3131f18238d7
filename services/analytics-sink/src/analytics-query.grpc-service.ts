import { type AnalyticsServiceClient, type AnalyticsServiceImplementation } from '@aigw/contracts';
import { AnalyticsError, AnalyticsErrorCode, type AnalyticsSink } from '@aigw/analytics';
import { ServerError, Status } from 'nice-grpc';

async function runQuery(sink: AnalyticsSink, sql: string): Promise<{ rowsJson: Buffer }> {
  try {
    const rows = await sink.queryReadOnly(sql);
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

/** The gRPC face of the analytics store: read-only queries. */
export function analyticsGrpcImplementation(sink: AnalyticsSink): AnalyticsServiceImplementation {
  return { query: async (request) => runQuery(sink, request.sql) };
}

/** The same client interface in-process (standalone mode). */
export function analyticsInProcessClient(sink: AnalyticsSink): AnalyticsServiceClient {
  return { query: async (request) => runQuery(sink, request.sql ?? '') };
}
