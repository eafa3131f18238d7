import { printTable } from './cli-table';
/** `aigw usage|top|errors|latency|guardrails|mcp|requests|request`: the analytics admin API. */

export const analyticsCommands = [
  'usage',
  'top',
  'errors',
  'latency',
  'guardrails',
  'mcp',
  'requests',
  'request',
] as const;
export type AnalyticsCommand = (typeof analyticsCommands)[number];

export const analyticsUsage = `  aigw usage [--by tag:team,model] [--since 7d] [--until T] [--order cost|requests|tokens]
             [--endpoint E] [--principal P] [--model M] [--provider P] [--tag k:v] [--limit N]
                                                        cost and usage grouped by dimensions
  aigw top [--by principal|endpoint|model|provider] [--order …] [--since 7d]
                                                        biggest spenders (default 10)
  aigw errors|latency [--by endpoint,provider] [--since 24h]
                                                        error/fallback rates; latency p50/p90/p99
  aigw guardrails [--by guardrail,verdict] | aigw mcp [--by connection,tool,status]
  aigw requests [--search ID_OR_PRINCIPAL] [--since 1d]  recent requests
  aigw request ID                                       one request's event timeline and payload
  (dimensions: endpoint principal model provider day hour status error_code group tag:K endpoint_tag:K;
   add --json for JSON lines)`;

const valueOptions = [
  'by',
  'since',
  'until',
  'order',
  'limit',
  'endpoint',
  'principal',
  'model',
  'provider',
  'tag',
  'search',
];

type Row = Record<string, unknown>;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

/** Runs one analytics command; returns the exit code. */
export async function analyticsCommand(command: AnalyticsCommand, args: string[]): Promise<number> {
  const url = option(args, '--url') ?? process.env['AIGW_URL'] ?? 'http://127.0.0.1:8080';
  const key = option(args, '--key') ?? process.env['AIGW_API_KEY'] ?? 'aigw-demo-key';
  let path: string;
  if (command === 'request') {
    const id = args.find(
      (arg, index) => !arg.startsWith('--') && !['--url', '--key'].includes(args[index - 1] ?? ''),
    );
    if (!id) {
      process.stderr.write(`usage:\n${analyticsUsage}\n`);
      return 2;
    }
    path = `/admin/analytics/requests/${encodeURIComponent(id)}/timeline`;
  } else {
    const query = new URLSearchParams();
    for (const name of valueOptions) {
      const value = option(args, `--${name}`);
      if (value !== undefined) query.set(name, value);
    }
    path = `/admin/analytics/${command}${query.size > 0 ? `?${query.toString()}` : ''}`;
  }
  let response: Response;
  try {
    // The key goes in a header, never in the URL.
    response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  } catch {
    process.stderr.write(`cannot reach aigw at ${url} (is it running? npm start)\n`);
    return 1;
  }
  const body = (await response.json()) as {
    rows?: Row[];
    events?: Row[];
    request?: Row | null;
    payload?: Row | null;
    error?: { message: string };
  };
  if (!response.ok) {
    process.stderr.write(`error: ${body.error?.message ?? response.statusText}\n`);
    return 1;
  }
  const json = args.includes('--json');
  if (command === 'request') {
    if (json) {
      process.stdout.write(`${JSON.stringify(body)}\n`);
      return 0;
    }
    if (body.request) printTable([body.request], 40);
    printTable(
      (body.events ?? []).map(({ occurred_at, type, service }) => ({ occurred_at, type, service })),
      40,
    );
    if (body.payload) {
      process.stdout.write(`request body:  ${String(body.payload['request_body'])}\n`);
      process.stdout.write(`response body: ${String(body.payload['response_body'])}\n`);
    }
    return 0;
  }
  const rows = body.rows ?? [];
  if (json) for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  else printTable(rows, 40);
  return 0;
}
