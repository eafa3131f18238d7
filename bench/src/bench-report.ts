import { type ProcessMemory } from './process-memory';

/** What was measured for one target. */
export interface TargetResult {
  readonly name: string;
  /** Requests per second at the high concurrency. */
  readonly rps: number;
  /** CPU the answering process (mock or gateway) used per request at that concurrency. */
  readonly cpuMsPerRequest: number | undefined;
  /** Latency at one connection, in ms. */
  readonly p50: number;
  readonly p99: number;
}

/** The gateway's budget at c=1, in ms it may add over calling the upstream directly. */
export const addedLatencyTargets = { p50: 0.25, p99: 1 } as const;

export interface BenchReport {
  readonly concurrency: number;
  readonly direct: TargetResult;
  readonly gateway: TargetResult;
  readonly gatewayMemory: ProcessMemory;
  readonly errors: readonly [string, number][];
}

/** The results table, the targets beside the added latency, memory and errors, as text. */
export function formatReport(report: BenchReport): string {
  const { direct, gateway, concurrency } = report;
  const added = { p50: gateway.p50 - direct.p50, p99: gateway.p99 - direct.p99 };
  const rpsChange = ((gateway.rps - direct.rps) / direct.rps) * 100;
  const rows = [
    ['', `rps@${concurrency}`, 'p50@1 (ms)', 'p99@1 (ms)'],
    [direct.name, rps(direct.rps), ms(direct.p50), ms(direct.p99)],
    [gateway.name, rps(gateway.rps), ms(gateway.p50), ms(gateway.p99)],
    ['added', `${rpsChange.toFixed(1)}%`, ms(added.p50), ms(added.p99)],
  ];
  const memory = report.gatewayMemory;
  const peak = memory.peakRssMiB === undefined ? '' : ` (peak ${memory.peakRssMiB.toFixed(1)} MiB)`;
  const lines = [
    ...markdownTable(rows),
    '',
    `added p50@1: ${ms(added.p50)} ms, target ≤ ${addedLatencyTargets.p50} ms: ${verdict(added.p50, addedLatencyTargets.p50)}`,
    `added p99@1: ${ms(added.p99)} ms, target ≤ ${addedLatencyTargets.p99} ms: ${verdict(added.p99, addedLatencyTargets.p99)}`,
    ...cpuLine(report),
    `gateway RSS after the run: ${memory.rssMiB.toFixed(1)} MiB${peak}`,
    report.errors.length === 0
      ? 'errors: none'
      : ['errors:', ...report.errors.map(([what, count]) => `  ${count} × ${what}`)].join('\n'),
  ];
  return lines.join('\n');
}

function cpuLine({ concurrency, direct, gateway }: BenchReport): string[] {
  if (direct.cpuMsPerRequest === undefined || gateway.cpuMsPerRequest === undefined) return [];
  return [
    `CPU per request at c=${concurrency}, all threads: mock upstream ${ms(direct.cpuMsPerRequest)} ms, ` +
      `gateway ${ms(gateway.cpuMsPerRequest)} ms (on top of the mock's)`,
  ];
}

function markdownTable(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (column === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)];
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
