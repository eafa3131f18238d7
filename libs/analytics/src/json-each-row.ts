/** One JSON object per line, each line ending in `\n`: the body of a JSONEachRow insert. */
export function toJsonEachRow(rows: readonly Record<string, unknown>[]): string {
  // JSON.stringify escapes every control character (including `\n`), so a raw newline is
  // always a row boundary, whatever the strings contain.
  let body = '';
  for (const row of rows) body += JSON.stringify(row) + '\n';
  return body;
}

/** Parses JSONEachRow output (blank lines ignored) into row objects. */
export function parseJsonEachRow<T>(text: string): T[] {
  const rows: T[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() !== '') rows.push(JSON.parse(line) as T);
  }
  return rows;
}
