import { AnalyticsError, AnalyticsErrorCode } from './analytics-error';
import { toClickHouseDateTime64 } from './clickhouse-datetime';
import { type AnalyticsStore } from './analytics-store';
import { analyticsMigrations } from './migrations/analytics-migrations';
import { type Migration } from './migrations/migration';

/** The bookkeeping table: one row per applied migration. */
export const schemaMigrationsTable = 'schema_migrations';

const createSchemaMigrationsSql = `
CREATE TABLE IF NOT EXISTS ${schemaMigrationsTable}
(
    version    UInt32,
    name       String,
    applied_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY version
`;

/**
 * Applies, in order, the migrations not yet recorded in `schema_migrations`, recording each one
 * after its statements succeeded. Idempotent: a second run (or a second replica) applies nothing.
 * Returns the versions applied by this call.
 */
export async function runMigrations(
  store: AnalyticsStore,
  migrations: readonly Migration[] = analyticsMigrations,
  now: () => Date = () => new Date(),
): Promise<number[]> {
  assertOrdered(migrations);
  await store.execute(createSchemaMigrationsSql);
  const rows = await store.query<{ version: number | string }>(
    `SELECT DISTINCT version FROM ${schemaMigrationsTable}`,
  );
  const done = new Set(rows.map((row) => Number(row.version)));
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.statements) await store.execute(statement);
    await store.insertJsonRows(schemaMigrationsTable, [
      {
        version: migration.version,
        name: migration.name,
        applied_at: toClickHouseDateTime64(now()),
      },
    ]);
    applied.push(migration.version);
  }
  return applied;
}

function assertOrdered(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new AnalyticsError(
        AnalyticsErrorCode.InvalidMigrations,
        'migration versions must be positive integers in strictly increasing order',
        { version: migration.version, name: migration.name },
      );
    }
    previous = migration.version;
  }
}
