import { type SqlToken, tokenizeSql } from './sql-tokenizer';

/** The statement to run (trimmed, without a trailing `;`), or why it was refused. */
export type ReadOnlySqlVerdict =
  { readonly ok: true; readonly sql: string } | { readonly ok: false; readonly reason: string };

/** Longest query text the guard accepts. */
export const maxReadOnlySqlLength = 100_000;

const allowedStatements = new Set(['select', 'with', 'show', 'describe', 'desc', 'explain']);

// Words that write, change state or settings, or redirect output (statements that can only
// come first, like SYSTEM or USE, are already refused by the first-word check). Bare keywords
// only: `t.update` (a column) and `format(…)` (a function) are not keywords.
const forbiddenKeywords = new Set([
  'insert',
  'alter',
  'drop',
  'create',
  'truncate',
  'rename',
  'exchange',
  'attach',
  'detach',
  'undrop',
  'optimize',
  'grant',
  'revoke',
  'kill',
  'set',
  'settings',
  'delete',
  'update',
  'into',
  'outfile',
  'format',
]);

// Functions and table functions that reach outside the database: files, URLs, other servers,
// programs. Compared lower-case; families by prefix.
const forbiddenFunctions = new Set([
  'file',
  'filecluster',
  'url',
  'urlcluster',
  'input',
  'executable',
  'executablepool',
  'remote',
  'remotesecure',
  'cluster',
  'clusterallreplicas',
  'mysql',
  'postgresql',
  'mongodb',
  'redis',
  'sqlite',
  'jdbc',
  'odbc',
  'gcs',
  'oss',
  'cosn',
  'hdfs',
  'hdfscluster',
  'python',
  'arrowflight',
  'ytsaurus',
]);
const forbiddenFunctionPrefixes = ['s3', 'azure', 'iceberg', 'deltalake', 'hudi', 'paimon'];

/**
 * Accepts a single SELECT / WITH / SHOW / DESCRIBE / EXPLAIN statement and refuses everything
 * else: `;`-chained statements, writes and DDL, SETTINGS / SET, FORMAT and INTO OUTFILE, and
 * functions that reach files, URLs or other servers.
 *
 * A guard in front of a read-only ClickHouse role, not the only protection: run the result as
 * a user with `readonly = 1` (server) or with `readOnly: true` (embedded chDB), and bound its
 * resources (max_execution_time, max_memory_usage) in that user's profile.
 */
export function checkReadOnlySql(sql: string): ReadOnlySqlVerdict {
  if (sql.length > maxReadOnlySqlLength) return refuse('query is too long');
  const tokenized = tokenizeSql(sql);
  if (!tokenized.ok) return refuse(tokenized.reason);
  let tokens = tokenized.tokens;
  let text = sql;
  const last = tokens[tokens.length - 1];
  if (last?.kind === 'symbol' && last.text === ';') {
    tokens = tokens.slice(0, -1);
    text = sql.slice(0, last.start);
  }
  text = text.trim();
  if (tokens.length === 0) return refuse('empty query');
  if (tokens.some((token) => token.kind === 'symbol' && token.text === ';')) {
    return refuse('only one statement is allowed');
  }
  const first = tokens[0]!;
  if (first.kind !== 'word' || !allowedStatements.has(first.text.toLowerCase())) {
    return refuse('only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN are allowed');
  }
  for (let index = 0; index < tokens.length; index += 1) {
    const reason = forbiddenAt(tokens, index);
    if (reason) return refuse(reason);
  }
  return { ok: true, sql: text };
}

function forbiddenAt(tokens: readonly SqlToken[], index: number): string | undefined {
  const token = tokens[index]!;
  if (token.kind !== 'word' && token.kind !== 'quoted-identifier') return undefined;
  const name = token.text.toLowerCase();
  const before = tokens[index - 1];
  const after = tokens[index + 1];
  const isCall = after?.kind === 'symbol' && after.text === '(';
  if (isCall && isForbiddenFunction(name)) return `function "${token.text}" is not allowed`;
  if (token.kind !== 'word' || isCall || !forbiddenKeywords.has(name)) return undefined;
  const qualified =
    (before?.kind === 'symbol' && before.text === '.') ||
    (after?.kind === 'symbol' && after.text === '.');
  // `SHOW CREATE TABLE t` only reads the table's definition.
  const showCreate = name === 'create' && index === 1 && isWord(tokens[0], 'show');
  if (qualified || showCreate) return undefined;
  return `"${token.text.toUpperCase()}" is not allowed in a read-only query`;
}

function isForbiddenFunction(name: string): boolean {
  return (
    forbiddenFunctions.has(name) ||
    forbiddenFunctionPrefixes.some((prefix) => name.startsWith(prefix))
  );
}

function isWord(token: SqlToken | undefined, word: string): boolean {
  return token?.kind === 'word' && token.text.toLowerCase() === word;
}

function refuse(reason: string): ReadOnlySqlVerdict {
  return { ok: false, reason };
}
