import { AnalyticsError, AnalyticsErrorCode } from './analytics-error';

// A table name as adapters interpolate it into `INSERT INTO <name>`: `table` or `db.table`.
const identifier = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** Returns `name` if it is a plain (optionally db-qualified) identifier; throws otherwise. */
export function assertTableName(name: string): string {
  if (!identifier.test(name)) {
    throw new AnalyticsError(AnalyticsErrorCode.InvalidIdentifier, `invalid table name`, {
      table: name.slice(0, 100),
    });
  }
  return name;
}
