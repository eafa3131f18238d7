import { type ProcessMemory } from './process-memory';

/** p50 and p99 of a latency, in ms. */
export interface LatencyPercentiles {
  readonly p50: number;
  readonly p99: number;
}

/** What was measured for one target. */
export interface TargetResult extends LatencyPercentiles {
  readonly name: string;
  /** Requests per second at the high concurrency. */
  readonly rps: number;
  /** CPU the answering process (mock or gateway) used per request at that concurrency. */
  readonly cpuMsPerRequest: number | undefined;
  /** Streaming time to first token at one connection, when measured for this target. */
  readonly ttft?: LatencyPercentiles;
}

/** The gateway's budget at c=1, in ms it may add over calling the upstream directly. */
export const addedLatencyTargets = { p50: 0.25, p99: 1 } as const;

/** The streaming time to first token the gateway may add at c=1, in ms (p50 and p99). */
export const addedTtftTargetMs = 1;

export interface BenchReport {
  readonly concurrency: number;
  readonly direct: TargetResult;
  /** Via aigw, OpenAI chat completions: the passthrough path. */
  readonly gateway: TargetResult;
  /** Via aigw, Anthropic `/v1/messages` to the same OpenAI upstream: the translation path. */
  readonly anthropic: TargetResult;
  readonly gatewayMemory: ProcessMemory;
  readonly errors: readonly [string, number][];
}

/** The results table, the targets beside the added latency, memory and errors, as text. */
export function formatReport(report: BenchReport): string {
  const { direct, gateway, anthropic, concurrency } = report;
  const added = { p50: gateway.p50 - direct.p50, p99: gateway.p99 - direct.p99 };
  const addedTtft =
    gateway.ttft && direct.ttft
      ? { p50: gateway.ttft.p50 - direct.ttft.p50, p99: gateway.ttft.p99 - direct.ttft.p99 }
      : undefined;
  const row = (target: TargetResult): string[] => [
    target.name,
    rps(target.rps),
    ms(target.p50),
    ms(target.p99),
    target.ttft ? ms(target.ttft.p50) : '–',
    target.ttft ? ms(target.ttft.p99) : '–',
  ];
  const rows = [
    ['', `rps@${concurrency}`, 'p50@1 (ms)', 'p99@1 (ms)', 'TTFT p50@1 (ms)', 'TTFT p99@1 (ms)'],
    row(direct),
    row(gateway),
    row(anthropic),
    [
      'added (aigw passthrough − direct)',
      percentChange(gateway.rps, direct.rps),
      ms(added.p50),
      ms(added.p99),
      addedTtft ? ms(addedTtft.p50) : '–',
      addedTtft ? ms(addedTtft.p99) : '–',
    ],
    [
      'Anthropic translation vs passthrough',
      percentChange(anthropic.rps, gateway.rps),
      ms(anthropic.p50 - gateway.p50),
      ms(anthropic.p99 - gateway.p99),
      '–',
      '–',
    ],
  ];
  const memory = report.gatewayMemory;
  const peak = memory.peakRssMiB === undefined ? '' : ` (peak ${memory.peakRssMiB.toFixed(1)} MiB)`;
  const lines = [
    ...markdownTable(rows),
    '',
    `added p50@1: ${ms(added.p50)} ms, target ≤ ${addedLatencyTargets.p50} ms: ${verdict(added.p50, addedLatencyTargets.p50)}`,
    `added p99@1: ${ms(added.p99)} ms, target ≤ ${addedLatencyTargets.p99} ms: ${verdict(added.p99, addedLatencyTargets.p99)}`,
    ...(addedTtft
      ? [
          `added streaming TTFT p50@1: ${ms(addedTtft.p50)} ms, target ≤ ${addedTtftTargetMs} ms: ${verdict(addedTtft.p50, addedTtftTargetMs)}`,
          `added streaming TTFT p99@1: ${ms(addedTtft.p99)} ms, target ≤ ${addedTtftTargetMs} ms: ${verdict(addedTtft.p99, addedTtftTargetMs)}`,
        ]
      : []),
    ...cpuLine(report),
    `gateway RSS after the run: ${memory.rssMiB.toFixed(1)} MiB${peak}`,
    report.errors.length === 0
      ? 'errors: none'
      : ['errors:', ...report.errors.map(([what, count]) => `  ${count} × ${what}`)].join('\n'),
  ];
  return lines.join('\n');
}

function cpuLine({ concurrency, direct, gateway, anthropic }: BenchReport): string[] {
  if (direct.cpuMsPerRequest === undefined || gateway.cpuMsPerRequest === undefined) return [];
  const translated =
    anthropic.cpuMsPerRequest === undefined
      ? ''
      : `, gateway on the Anthropic path ${ms(anthropic.cpuMsPerRequest)} ms`;
  return [
    `CPU per request at c=${concurrency}, all threads: mock upstream ${ms(direct.cpuMsPerRequest)} ms, ` +
      `gateway ${ms(gateway.cpuMsPerRequest)} ms${translated} (on top of the mock's)`,
  ];
}

function markdownTable(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (column === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)];
}

function percentChange(value: number, base: number): string {
  return `${(((value - base) / base) * 100).toFixed(1)}%`;
}

function rps(value: number): string {
  return Math.round(value).toString();
}

function ms(value: number): string {
  return value.toFixed(3);
}

function verdict(value: number, limit: number): string {
  return value <= limit ? 'met' : 'MISSED';
}
