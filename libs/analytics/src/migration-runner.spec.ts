import { describe, expect, it } from 'vitest';
import { AnalyticsErrorCode } from './analytics-error';
import { runMigrations } from './migration-runner';
import { InMemoryAnalyticsStore } from './testing/in-memory-analytics-store';

describe('runMigrations', () => {
  it('refuses a migration list that is not strictly increasing, before touching the store', async () => {
    const store = new InMemoryAnalyticsStore();
    const migrations = [
      { version: 2, name: 'b', statements: ['SELECT 1'] },
      { version: 2, name: 'c', statements: ['SELECT 1'] },
    ];
    await expect(runMigrations(store, migrations)).rejects.toMatchObject({
      code: AnalyticsErrorCode.InvalidMigrations,
    });
    expect(store.executed).toEqual([]);
  });

  it('applies, in order, only the versions not yet recorded', async () => {
    const store = new InMemoryAnalyticsStore();
    store.queryResult = [{ version: '1' }];
    const migrations = [
      { version: 1, name: 'a', statements: ['A'] },
      { version: 2, name: 'b', statements: ['B1', 'B2'] },
    ];
    await expect(runMigrations(store, migrations, () => new Date(0))).resolves.toEqual([2]);
    expect(store.executed.slice(1)).toEqual(['B1', 'B2']);
    expect(store.rowsOf('schema_migrations')).toEqual([
      { version: 2, name: 'b', applied_at: '1970-01-01 00:00:00.000' },
    ]);
  });
});
