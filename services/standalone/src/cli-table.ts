/** Prints rows as an aligned text table (cells cut at `maxWidth`), then the row count. */
export function printTable(rows: readonly Record<string, unknown>[], maxWidth = 60): void {
  if (rows.length === 0) {
    process.stdout.write('(no rows)\n');
    return;
  }
  const columns = Object.keys(rows[0]!);
  const cells = rows.map((row) =>
    columns.map((column) => {
      const value = row[column];
      return typeof value === 'string' ? value : JSON.stringify(value);
    }),
  );
  const widths = columns.map((column, index) =>
    Math.min(maxWidth, Math.max(column.length, ...cells.map((line) => line[index]!.length))),
  );
  const line = (values: string[]): string =>
    values.map((value, index) => value.slice(0, maxWidth).padEnd(widths[index]!)).join('  ');
  process.stdout.write(`${line(columns)}\n${line(widths.map((width) => '-'.repeat(width)))}\n`);
  for (const row of cells) process.stdout.write(`${line(row)}\n`);
  process.stdout.write(`(${rows.length} row${rows.length === 1 ? '' : 's'})\n`);
}
