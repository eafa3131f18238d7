import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { AnalyticsError, AnalyticsErrorCode } from './analytics-error';
import { type AnalyticsStore, type QueryOptions, type QueryParams } from './analytics-store';
import { assertTableName } from './sql-identifier';
import { storeFailure } from './store-failure';

/** Where a ClickHouse server is and who to be there. */
export interface HttpAnalyticsStoreOptions {
  readonly url: string;
  readonly database: string;
  readonly username: string;
  readonly password: string;
  /** Per-request timeout in milliseconds (default 30 s). */
  readonly requestTimeoutMs?: number;
}

/**
 * A ClickHouse server over HTTP (`@clickhouse/client`), for cluster mode.
 *
 * Query parameters travel as `param_<name>` (`{name:Type}` placeholders), which every current
 * ClickHouse server supports. Very old servers (e.g. Debian's 18.16) reject them with
 * "Unknown setting param_…": only parameterless queries work there. `readOnly` is not
 * enforced per query here; give readers a ClickHouse user whose profile has `readonly = 1`.
 */
export class HttpAnalyticsStore implements AnalyticsStore {
  private readonly client: ClickHouseClient;
  private closed = false;

  constructor(options: HttpAnalyticsStoreOptions) {
    this.client = createClient({
      url: options.url,
      database: options.database,
      username: options.username,
      password: options.password,
      request_timeout: options.requestTimeoutMs ?? 30_000,
      // Every failure is rethrown as an AnalyticsError for the caller's (JSON) logger; the
      // client's own plain-text error log would report it a second time.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  async execute(sql: string): Promise<void> {
    this.assertOpen('execute');
    try {
      await this.client.command({ query: sql });
    } catch (error) {
      throw storeFailure('execute', error);
    }
  }

  async insertJsonRows(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    this.assertOpen('insert');
    assertTableName(table);
    if (rows.length === 0) return;
    try {
      await this.client.insert({ table, values: [...rows], format: 'JSONEachRow' });
    } catch (error) {
      throw storeFailure('insert', error);
    }
  }

  async query<T = Record<string, unknown>>(
    sql: string,
    params?: QueryParams,
    _options: QueryOptions = {},
  ): Promise<T[]> {
    this.assertOpen('query');
    try {
      const result = await this.client.query({
        query: sql,
        format: 'JSONEachRow',
        // Sent only when there are parameters, so parameterless queries work on any server.
        ...(params && Object.keys(params).length > 0 ? { query_params: { ...params } } : {}),
      });
      return await result.json<T>();
    } catch (error) {
      throw storeFailure('query', error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  private assertOpen(operation: string): void {
    if (this.closed) {
      throw new AnalyticsError(AnalyticsErrorCode.StoreClosed, 'analytics store is closed', {
        operation,
      });
    }
  }
}
