/** Values for `{name:Type}` placeholders in a query; bound server-side, never spliced into SQL. */
export type QueryParams = Readonly<Record<string, string | number>>;

/** How a query runs. */
export interface QueryOptions {
  /**
   * Run with ClickHouse's `readonly = 1` where the adapter can enforce it per query (embedded
   * chDB appends a `SETTINGS readonly = 1` clause, so `sql` must be one statement without its own
   * SETTINGS or FORMAT clause). Over HTTP, use a read-only ClickHouse user instead.
   */
  readonly readOnly?: boolean;
}

/**
 * The ClickHouse port: everything the analytics code needs from ClickHouse, and nothing more.
 * Adapters: `ChdbAnalyticsStore` (embedded, in-process) and `HttpAnalyticsStore` (a server).
 * Every method rejects with an `AnalyticsError` when ClickHouse refuses or is unreachable.
 */
export interface AnalyticsStore {
  /** Runs one statement that returns no rows (DDL, OPTIMIZE, …). */
  execute(sql: string): Promise<void>;
  /**
   * Inserts rows as `INSERT INTO <table> FORMAT JSONEachRow`: keys are column names, omitted
   * columns take their defaults. Any string content is safe (the rows travel as JSON data, never
   * as SQL). `table` must be a plain or db-qualified identifier.
   */
  insertJsonRows(table: string, rows: readonly Record<string, unknown>[]): Promise<void>;
  /**
   * Runs a query and returns its rows as objects (JSONEachRow). 64-bit integers may come back as
   * numbers or as strings depending on the server's `output_format_json_quote_64bit_integers`;
   * cast in SQL (`toString`, `toUInt32`) where the type matters.
   */
  query<T = Record<string, unknown>>(
    sql: string,
    params?: QueryParams,
    options?: QueryOptions,
  ): Promise<T[]>;
  /** Releases the connection (embedded: the data directory). Idempotent. */
  close(): Promise<void>;
}
