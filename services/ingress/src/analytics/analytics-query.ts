/** One parameterised ClickHouse query: `{name:Type}` placeholders in `sql`, values in `params`. */
export interface AnalyticsQuery {
  readonly sql: string;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Collects bound parameters while a query is built: SQL text only ever gets a placeholder
 * (`{p3:String}`), the value travels separately.
 */
export class QueryParameters {
  private readonly values: Record<string, string> = {};
  private next = 0;

  /** A placeholder bound to `value`. */
  bind(value: string | number, type = 'String'): string {
    const name = `p${this.next++}`;
    this.values[name] = String(value);
    return `{${name}:${type}}`;
  }

  query(sql: string): AnalyticsQuery {
    return { sql, params: { ...this.values } };
  }
}
