/** A lexical token of ClickHouse SQL, as far as the read-only guard needs to see it. */
export interface SqlToken {
  readonly kind: 'word' | 'quoted-identifier' | 'string' | 'number' | 'symbol';
  /** The word, the identifier without its quotes, the number or symbol; '' for a string. */
  readonly text: string;
  /** Offset of the token's first character in the SQL. */
  readonly start: number;
}

/** Tokens of a statement, or why it could not be tokenized safely. */
export type TokenizeResult =
  | { readonly ok: true; readonly tokens: readonly SqlToken[] }
  | { readonly ok: false; readonly reason: string };

const wordStart = /[A-Za-z_]/;
const wordPart = /[A-Za-z0-9_]/;
const numberLiteral = /0[xX][0-9a-fA-F_]+|0[bB][01_]+|[0-9_]+(\.[0-9_]*)?([eE][+-]?[0-9]+)?/y;

/**
 * Splits SQL into words, quoted identifiers, literals and symbols, dropping whitespace and
 * comments. Anything whose meaning could differ between this scanner and ClickHouse
 * (unterminated literals or comments, `$` heredocs, `#` comments) is refused rather than guessed.
 */
export function tokenizeSql(sql: string): TokenizeResult {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const char = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) return { ok: false, reason: 'unterminated comment' };
      i = end + 2;
    } else if (char === '#' || char === '$') {
      return { ok: false, reason: `unsupported character "${char}"` };
    } else if (char === "'" || char === '"' || char === '`') {
      const end = quotedEnd(sql, i);
      if (end === -1) return { ok: false, reason: 'unterminated quote' };
      tokens.push(
        char === "'"
          ? { kind: 'string', text: '', start: i }
          : { kind: 'quoted-identifier', text: sql.slice(i + 1, end), start: i },
      );
      i = end + 1;
    } else if (wordStart.test(char)) {
      const start = i;
      while (i < sql.length && wordPart.test(sql[i]!)) i += 1;
      tokens.push({ kind: 'word', text: sql.slice(start, i), start });
    } else if (/[0-9]/.test(char)) {
      const start = i;
      numberLiteral.lastIndex = i;
      const match = numberLiteral.exec(sql);
      const text = match?.[0] ?? char;
      i += text.length;
      // `1FORMAT`: where a number runs into a word, lexers may disagree on the split.
      if (i < sql.length && wordPart.test(sql[i]!))
        return { ok: false, reason: 'malformed number' };
      tokens.push({ kind: 'number', text, start });
    } else {
      tokens.push({ kind: 'symbol', text: char, start: i });
      i += 1;
    }
  }
  return { ok: true, tokens };
}

// Index of the closing quote of the literal opening at `start`; `\x` and doubled quotes escape.
function quotedEnd(sql: string, start: number): number {
  const quote = sql[start];
  let i = start + 1;
  while (i < sql.length) {
    const char = sql[i];
    if (char === '\\') {
      i += 2;
    } else if (char === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i;
    } else {
      i += 1;
    }
  }
  return -1;
}
