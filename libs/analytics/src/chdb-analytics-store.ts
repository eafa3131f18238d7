import { mkdirSync } from 'node:fs';
import { type Session } from 'chdb';
import { AnalyticsError, AnalyticsErrorCode } from './analytics-error';
import { type AnalyticsStore, type QueryOptions, type QueryParams } from './analytics-store';
import { parseJsonEachRow, toJsonEachRow } from './json-each-row';
import { assertTableName } from './sql-identifier';
import { storeFailure } from './store-failure';

/** Options of the embedded store. */
export interface ChdbAnalyticsStoreOptions {
  /** Rows per INSERT statement; larger inserts are split (each chunk is its own insert). */
  readonly maxRowsPerInsert?: number;
}

/**
 * Embedded ClickHouse (chDB, the ClickHouse engine in-process) with its data in a directory.
 *
 * chDB allows one open data directory per process, so open one store per process and close it
 * before opening another path. Calls run off the event loop (chDB's async API) but one at a
 * time: the engine is a process singleton, and `close()` must not race a running query.
 */
export class ChdbAnalyticsStore implements AnalyticsStore {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly maxRowsPerInsert: number;

  private constructor(
    private readonly session: Session,
    options: ChdbAnalyticsStoreOptions,
  ) {
    this.maxRowsPerInsert = Math.max(1, options.maxRowsPerInsert ?? 100_000);
  }

  /**
   * Opens (creating if needed) the data directory at `path`. chDB is loaded only here, so a
   * process that talks to a ClickHouse server never loads the embedded engine.
   */
  static async open(
    path: string,
    options: ChdbAnalyticsStoreOptions = {},
  ): Promise<ChdbAnalyticsStore> {
    try {
      mkdirSync(path, { recursive: true });
      const chdb = await import('chdb');
      return new ChdbAnalyticsStore(new chdb.Session(path), options);
    } catch (error) {
      throw storeFailure('open', error);
    }
  }

  /** The data directory this store owns. */
  get path(): string {
    return this.session.path;
  }

  async execute(sql: string): Promise<void> {
    await this.serialized('execute', () => this.session.queryAsync(sql, { format: 'Null' }));
  }

  async insertJsonRows(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    assertTableName(table);
    for (let start = 0; start < rows.length; start += this.maxRowsPerInsert) {
      // Rows go to the engine as a separate data buffer, never spliced into the SQL text.
      const values = Buffer.from(toJsonEachRow(rows.slice(start, start + this.maxRowsPerInsert)));
      await this.serialized('insert', () =>
        this.session.insert({ table, values, format: 'JSONEachRow' }),
      );
    }
  }

  async query<T = Record<string, unknown>>(
    sql: string,
    params?: QueryParams,
    options: QueryOptions = {},
  ): Promise<T[]> {
    // On a new line, so a trailing `-- comment` in `sql` cannot swallow the clause.
    const statement = options.readOnly ? `${sql}\nSETTINGS readonly = 1` : sql;
    const result = await this.serialized('query', () =>
      params && Object.keys(params).length > 0
        ? this.session.queryBindAsync(statement, params, { format: 'JSONEachRow' })
        : this.session.queryAsync(statement, { format: 'JSONEachRow' }),
    );
    return parseJsonEachRow<T>(result.text());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.session.close();
  }

  private serialized<T>(operation: string, call: () => Promise<T>): Promise<T> {
    if (this.closed) {
      return Promise.reject(
        new AnalyticsError(AnalyticsErrorCode.StoreClosed, 'analytics store is closed', {
          operation,
        }),
      );
    }
    const run = this.queue.then(call).catch((error: unknown) => {
      throw storeFailure(operation, error);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
