import { describe, expect, it } from 'vitest';
import { checkReadOnlySql, maxReadOnlySqlLength } from './read-only-sql-guard';

describe('checkReadOnlySql', () => {
  it.each([
    'SELECT model, sum(cost_usd) FROM requests FINAL GROUP BY model ORDER BY 2 DESC',
    "with t AS (SELECT * FROM events WHERE type = 'request.failed') SELECT count() FROM t",
    'SHOW TABLES',
    'SHOW CREATE TABLE requests',
    'DESCRIBE TABLE events',
    'DESC requests',
    'EXPLAIN SELECT 1',
    'SELECT \'DROP TABLE x; INSERT\' AS text, "update", `delete` FROM requests',
    "SELECT replace(model, 'a', 'b'), format('{}', model), r.update FROM requests AS r",
    'SELECT 1 -- DROP TABLE x; trailing comment',
    'SELECT /* ; INSERT */ 1',
    'SELECT name FROM system.tables',
    'SELECT 0x1F, 1e-3, 1.5, 2',
  ])('accepts %s', (sql) => {
    expect(checkReadOnlySql(sql)).toEqual({ ok: true, sql: sql.trim() });
  });

  it('drops one trailing semicolon (and what follows it in a comment)', () => {
    expect(checkReadOnlySql('  SELECT 1 ;  -- done;\n')).toEqual({ ok: true, sql: 'SELECT 1' });
  });

  it.each([
    ['', 'empty query'],
    [';', 'empty query'],
    ['SELECT 1; DROP TABLE events', 'only one statement is allowed'],
    ['SELECT 1;;', 'only one statement is allowed'],
    ['INSERT INTO events SELECT * FROM events', 'only SELECT'],
    ['DROP TABLE requests', 'only SELECT'],
    ['ALTER TABLE requests DELETE WHERE 1', 'only SELECT'],
    ['CREATE TABLE x (a UInt8) ENGINE = Memory', 'only SELECT'],
    ['TRUNCATE TABLE events', 'only SELECT'],
    ['SET readonly = 0', 'only SELECT'],
    ['SYSTEM STOP MERGES', 'only SELECT'],
    ['OPTIMIZE TABLE events FINAL', 'only SELECT'],
    ['(SELECT 1)', 'only SELECT'],
    ['SELECT 1 SETTINGS readonly = 0', '"SETTINGS" is not allowed'],
    ['SELECT 1 FORMAT CSV', '"FORMAT" is not allowed'],
    ["SELECT 1 INTO OUTFILE '/tmp/x'", '"INTO" is not allowed'],
    ['WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', '"INSERT" is not allowed'],
    ['EXPLAIN DROP TABLE events', '"DROP" is not allowed'],
    ["SELECT * FROM file('/etc/passwd', 'LineAsString')", 'function "file" is not allowed'],
    ["SELECT * FROM url ('http://169.254.169.254/')", 'function "url" is not allowed'],
    ["SELECT * FROM `s3`('https://bucket/x')", 'function "s3" is not allowed'],
    ["SELECT * FROM remote('other:9000', default.events)", 'function "remote" is not allowed'],
    ["SELECT * FROM icebergS3('https://bucket/t')", 'function "icebergS3" is not allowed'],
    [
      "DESCRIBE TABLE executable('x.sh', 'TSV', 'a String')",
      'function "executable" is not allowed',
    ],
    ["SELECT 'unterminated", 'unterminated quote'],
    ['SELECT 1 /* open', 'unterminated comment'],
    ["SELECT $$'$$; DROP TABLE x; SELECT '$$", 'unsupported character "$"'],
    ['SELECT 1 # comment', 'unsupported character "#"'],
    ['SELECT 1FORMAT CSV', 'malformed number'],
  ])('refuses %j', (sql, reason) => {
    const verdict = checkReadOnlySql(sql);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain(reason);
  });

  it('refuses a query text longer than the limit', () => {
    const sql = `SELECT '${'x'.repeat(maxReadOnlySqlLength)}'`;
    expect(checkReadOnlySql(sql)).toEqual({ ok: false, reason: 'query is too long' });
  });

  it('does not end a literal at an escaped quote', () => {
    expect(checkReadOnlySql("SELECT 'it\\'s; DROP', 'a''b; INSERT'").ok).toBe(true);
    expect(checkReadOnlySql("SELECT 'it\\'s'; DROP TABLE x").ok).toBe(false);
  });
});
