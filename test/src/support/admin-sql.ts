/** Runs a read-only query through the gateway's admin API (what `aigw sql` does). */
export async function adminSql<T = Record<string, unknown>>(
  baseUrl: string,
  key: string,
  sql: string,
): Promise<T[]> {
  const response = await fetch(`${baseUrl}/admin/sql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sql }),
  });
  const body = (await response.json()) as { rows?: T[]; error?: { message: string } };
  if (!response.ok || !body.rows)
    throw new Error(`admin sql failed: ${response.status} ${body.error?.message}`);
  return body.rows;
}
