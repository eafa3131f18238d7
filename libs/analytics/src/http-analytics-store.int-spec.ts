import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsErrorCode } from './analytics-error';
import { createAnalyticsStore } from './analytics-store-factory';
import { HttpAnalyticsStore } from './http-analytics-store';

// Against a REAL ClickHouse server (CI starts it first: deploy/local/install.sh, then
// deploy/local/start-clickhouse.sh). Locally that is Debian's clickhouse-server 18.16, so this
// uses only SQL that 18.16 understands and no query parameters (18.16 rejects `param_…`);
// the analytics schema and queries themselves are covered on chDB (same engine as current
// servers) by chdb-analytics-store.int-spec.ts.
const url = process.env['CLICKHOUSE_URL'] ?? 'http://127.0.0.1:8123';

async function assertReachable(): Promise<string> {
  const hint =
    `ClickHouse server is not reachable at ${url} (set CLICKHOUSE_URL, or start it with ` +
    '`bash deploy/local/install.sh && bash deploy/local/start-clickhouse.sh`)';
  let response: Response;
  try {
    response = await fetch(new URL('/ping', url), { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    throw new Error(`${hint}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body = await response.text();
  if (!response.ok || body.trim() !== 'Ok.') {
    throw new Error(`${hint}: /ping answered ${response.status} ${body.slice(0, 100)}`);
  }
  return body;
}

describe('HttpAnalyticsStore (real ClickHouse server)', () => {
  const table = `aigw_it_${randomBytes(4).toString('hex')}`;
  let store: HttpAnalyticsStore;

  beforeAll(async () => {
    await assertReachable();
    store = (await createAnalyticsStore(
      {
        mode: 'http',
        url,
        database: 'default',
        username: process.env['CLICKHOUSE_USER'] ?? 'default',
        password: process.env['CLICKHOUSE_PASSWORD'] ?? '',
      },
      '/nonexistent-data-dir',
    )) as HttpAnalyticsStore;
    expect(store).toBeInstanceOf(HttpAnalyticsStore);
  });

  afterAll(async () => {
    await store?.execute(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await store?.close();
  });

  it('creates a table, inserts JSON rows with any string content, reads them back, drops it', async () => {
    await store.execute(
      `CREATE TABLE ${table} (id UInt32, name String, note String) ENGINE = MergeTree ORDER BY id`,
    );
    const rows = [
      { id: 1, name: 'alice', note: "it's" },
      { id: 2, name: 'bob', note: 'quote " backslash \\ new\nline\ttab' },
      { id: 3, name: 'carol', note: "'); DROP TABLE events; --" },
      { id: 4, name: 'dave', note: 'unicode ✓ 🚀' },
    ];
    await store.insertJsonRows(table, rows);
    await store.insertJsonRows(table, []);

    await expect(store.query(`SELECT id, name, note FROM ${table} ORDER BY id`)).resolves.toEqual(
      rows,
    );
    const [count] = await store.query<{ n: number | string }>(
      `SELECT count() AS n FROM ${table} WHERE id > 1`,
    );
    expect(Number(count!.n)).toBe(3);

    await store.execute(`DROP TABLE ${table}`);
    const left = await store.query(`SELECT name FROM system.tables WHERE name = '${table}'`);
    expect(left).toEqual([]);
  });

  it('works with a Memory table too', async () => {
    const memory = `${table}_memory`;
    await store.execute(`CREATE TABLE ${memory} (k String, v UInt32) ENGINE = Memory`);
    try {
      await store.insertJsonRows(memory, [
        { k: 'a', v: 1 },
        { k: 'b', v: 2 },
      ]);
      await expect(store.query(`SELECT k, v FROM ${memory} ORDER BY k`)).resolves.toEqual([
        { k: 'a', v: 1 },
        { k: 'b', v: 2 },
      ]);
    } finally {
      await store.execute(`DROP TABLE ${memory}`);
    }
  });

  it('reports what the server refused as AnalyticsError', async () => {
    await expect(store.query(`SELECT * FROM ${table}_missing`)).rejects.toMatchObject({
      code: AnalyticsErrorCode.StoreFailed,
      context: { operation: 'query', clickhouseCode: 60 }, // UNKNOWN_TABLE
    });
    await expect(store.insertJsonRows('bad name; DROP', [{ a: 1 }])).rejects.toMatchObject({
      code: AnalyticsErrorCode.InvalidIdentifier,
    });
  });

  it('binds query parameters on servers that have them, and fails loudly on 18.x', async () => {
    const [server] = await store.query<{ v: string }>('SELECT version() AS v');
    const bound = store.query('SELECT {name:String} AS name', { name: "o'neil" });
    if (server!.v.startsWith('18.')) {
      // 18.16 answers "Unknown setting param_name": parameters are not silently dropped.
      await expect(bound).rejects.toMatchObject({ code: AnalyticsErrorCode.StoreFailed });
    } else {
      await expect(bound).resolves.toEqual([{ name: "o'neil" }]);
    }
  });

  it('is closed after close()', async () => {
    const other = new HttpAnalyticsStore({
      url,
      database: 'default',
      username: 'default',
      password: '',
    });
    await other.close();
    await expect(other.query('SELECT 1')).rejects.toMatchObject({
      code: AnalyticsErrorCode.StoreClosed,
    });
  });
});
