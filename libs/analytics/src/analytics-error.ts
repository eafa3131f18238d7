/** Every failure the analytics library reports, as a string code. */
export enum AnalyticsErrorCode {
  /** ClickHouse refused a statement or could not be reached. */
  StoreFailed = 'store_failed',
  /** The store was used after `close()`. */
  StoreClosed = 'store_closed',
  /** A table or column name is not a plain identifier. */
  InvalidIdentifier = 'invalid_identifier',
  /** A read-only query was refused by the SQL guard. */
  QueryRejected = 'query_rejected',
  /** The list of migrations is not strictly ordered by version. */
  InvalidMigrations = 'invalid_migrations',
}

/** A failure in analytics: a code plus readonly context that is safe to show (never a secret). */
export class AnalyticsError extends Error {
  constructor(
    readonly code: AnalyticsErrorCode,
    message: string,
    readonly context: Readonly<Record<string, string | number | boolean>> = {},
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AnalyticsError';
  }
}
