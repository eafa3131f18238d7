import { type AnalyticsStore, type QueryOptions, type QueryParams } from '../analytics-store';

/** Test double of the ClickHouse port: records inserts and queries; can be told to fail. */
export class InMemoryAnalyticsStore implements AnalyticsStore {
  readonly inserts: { table: string; rows: Record<string, unknown>[] }[] = [];
  readonly queries: { sql: string; params?: QueryParams; options?: QueryOptions }[] = [];
  readonly executed: string[] = [];
  /** When set, the next insert into this table throws (once). */
  failNextInsertInto: string | undefined;
  queryResult: Record<string, unknown>[] = [];

  async execute(sql: string): Promise<void> {
    this.executed.push(sql);
  }

  async insertJsonRows(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (this.failNextInsertInto === table) {
      this.failNextInsertInto = undefined;
      throw new Error(`insert into ${table} failed`);
    }
    this.inserts.push({ table, rows: [...rows] });
  }

  async query<T = Record<string, unknown>>(
    sql: string,
    params?: QueryParams,
    options?: QueryOptions,
  ): Promise<T[]> {
    this.queries.push({ sql, params, options });
    return this.queryResult as T[];
  }

  async close(): Promise<void> {}

  /** All rows inserted into `table`, in order. */
  rowsOf(table: string): Record<string, unknown>[] {
    return this.inserts.filter((insert) => insert.table === table).flatMap((insert) => insert.rows);
  }
}
