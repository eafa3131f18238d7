// `npm run bench`: the same chat completion sent straight to a local mock upstream and through
// aigw standalone in front of it; prints throughput at 64 connections, latency at 1, and what
// the gateway adds. Also through aigw: the Anthropic `/v1/messages` translation path (same
// upstream) beside the OpenAI passthrough, and streaming time to first token at 1 connection.
// Mock, gateway and this load generator each run in their own process.
import { availableParallelism } from 'node:os';
import {
  type BenchGateway,
  type BenchServer,
  startGateway,
  startUpstream,
} from './bench-processes';
import { formatReport, type TargetResult } from './bench-report';
import { benchEmail, type ChatTarget, chatTarget, messagesTarget } from './chat-target';
import { stopAllChildren } from './child-process';
import { benchApiKey, benchEndpoint, upstreamModel } from './gateway-config';
import { ChatLoad, ErrorTally } from './load-generator';
import { latencySummary } from './percentiles';
import { processCpuMs } from './process-cpu';
import { processMemory } from './process-memory';

const concurrency = 64;
const warmUpMs = 2_000;
/** Throughput is measured in alternating rounds, so drift on a shared machine hits both. */
const throughputRounds = 2;
const throughputRoundMs = 4_000;
const latencyRounds = 6;
const latencyRequestsPerRound = 500;

let gateway: BenchGateway | undefined;

async function main(): Promise<number> {
  log(`node ${process.version}, ${availableParallelism()} CPUs; starting mock upstream and aigw…`);
  const upstream = await startUpstream();
  gateway = await startGateway(upstream.baseUrl);
  const direct = chatTarget('direct', upstream.origin, upstreamModel, benchApiKey);
  const governed = chatTarget(
    'via aigw, OpenAI passthrough',
    gateway.origin,
    benchEndpoint,
    benchApiKey,
  );
  const translated = messagesTarget(
    'via aigw, Anthropic /v1/messages',
    gateway.origin,
    benchEndpoint,
    benchApiKey,
  );
  const stream = { stream: true } as const;
  const directStream = chatTarget(
    'direct, stream',
    upstream.origin,
    upstreamModel,
    benchApiKey,
    stream,
  );
  const governedStream = chatTarget(
    'via aigw, stream',
    gateway.origin,
    benchEndpoint,
    benchApiKey,
    stream,
  );
  await checkAnswers({ direct, governed, translated, directStream, governedStream });

  const errors = new ErrorTally();
  const watched = [upstream, gateway];
  const subjects = [
    { target: direct, server: upstream },
    { target: governed, server: gateway },
    { target: translated, server: gateway },
  ];
  const throughput = await measureThroughput(subjects, errors, watched);
  const latency = await measureAtOneConnection(
    'latency',
    [direct, governed, translated],
    errors,
    watched,
    (load, count) => load.latencies(count),
  );
  const ttft = await measureAtOneConnection(
    'streaming time to first token',
    [directStream, governedStream],
    errors,
    watched,
    (load, count) => load.firstByteLatencies(count),
  );
  const gatewayMemory = processMemory(gateway.child.pid);

  const result = (target: ChatTarget, index: number): TargetResult => ({
    name: target.name,
    ...throughput[index]!,
    ...latencySummary(latency[index]!),
    ...(ttft[index] ? { ttft: latencySummary(ttft[index]) } : {}),
  });
  process.stdout.write(
    `\n${formatReport({
      concurrency,
      direct: result(direct, 0),
      gateway: result(governed, 1),
      anthropic: result(translated, 2),
      gatewayMemory,
      errors: errors.entries(),
    })}\n`,
  );
  return errors.total === 0 ? 0 : 1;
}

interface CheckedTargets {
  readonly direct: ChatTarget;
  readonly governed: ChatTarget;
  readonly translated: ChatTarget;
  readonly directStream: ChatTarget;
  readonly governedStream: ChatTarget;
}

/** One request each before measuring: all answer 200, and only aigw masked the email. */
async function checkAnswers(targets: CheckedTargets): Promise<void> {
  const directText = chatMessageOf(targets.direct, await answer(targets.direct));
  if (!directText.includes(benchEmail)) {
    throw new Error(`the mock did not echo the message: ${directText}`);
  }
  const governedText = chatMessageOf(targets.governed, await answer(targets.governed));
  const translatedText = anthropicTextOf(targets.translated, await answer(targets.translated));
  const directStream = await answer(targets.directStream);
  const governedStream = await answer(targets.governedStream);
  for (const [target, text] of [
    [targets.governed, governedText],
    [targets.translated, translatedText],
    [targets.governedStream, governedStream],
  ] as const) {
    if (text.includes(benchEmail)) {
      throw new Error(`${target.name}: aigw passed the email to the upstream unmasked: ${text}`);
    }
  }
  for (const [target, text] of [
    [targets.directStream, directStream],
    [targets.governedStream, governedStream],
  ] as const) {
    if (!target.streamEnd || !text.endsWith(target.streamEnd)) {
      throw new Error(`${target.name}: not a complete stream: ${text.slice(-300)}`);
    }
  }
  log(
    `direct answers "${directText}"; via aigw "${governedText}"; /v1/messages "${translatedText}"`,
  );
}

/** The body of a 200 answer, as text. */
async function answer(target: ChatTarget): Promise<string> {
  const response = await fetch(`${target.origin}${target.path}`, {
    method: 'POST',
    headers: target.headers as Record<string, string>,
    body: target.body,
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`${target.name}: HTTP ${response.status} ${text.slice(0, 500)}`);
  }
  return text;
}

function chatMessageOf(target: ChatTarget, text: string): string {
  const completion = JSON.parse(text) as { choices?: { message?: { content?: string } }[] };
  const content = completion.choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw new Error(`${target.name}: no message in ${text}`);
  return content;
}

function anthropicTextOf(target: ChatTarget, text: string): string {
  const message = JSON.parse(text) as { type?: string; content?: { text?: string }[] };
  const content = message.content?.[0]?.text;
  if (message.type !== 'message' || typeof content !== 'string') {
    throw new Error(`${target.name}: not an Anthropic message: ${text}`);
  }
  return content;
}

/** A target and the process that answers it, whose CPU time is charged to its requests. */
interface Subject {
  readonly target: ChatTarget;
  readonly server: BenchServer;
}

interface Throughput {
  readonly rps: number;
  /** CPU the answering process used per request (all its threads), if the OS tells. */
  readonly cpuMsPerRequest: number | undefined;
}

async function measureThroughput(
  subjects: readonly Subject[],
  errors: ErrorTally,
  watched: readonly BenchServer[],
): Promise<Throughput[]> {
  const loads = subjects.map(({ target }) => new ChatLoad(target, concurrency, errors));
  try {
    const totals = subjects.map(
      (): { completed: number; seconds: number; cpuMs: number | undefined } => ({
        completed: 0,
        seconds: 0,
        cpuMs: 0,
      }),
    );
    for (const load of loads) {
      log(`warming up ${load.target.name} at c=${concurrency} for ${warmUpMs / 1000} s`);
      await whileRunning(watched, load.saturate(concurrency, warmUpMs));
    }
    for (let round = 0; round < throughputRounds; round++) {
      for (const [index, load] of loads.entries()) {
        log(`throughput ${load.target.name}, round ${round + 1}/${throughputRounds}`);
        const total = totals[index]!;
        const pid = subjects[index]!.server.child.pid;
        const cpuBefore = processCpuMs(pid);
        const sample = await whileRunning(watched, load.saturate(concurrency, throughputRoundMs));
        const cpuAfter = processCpuMs(pid);
        total.completed += sample.completed;
        total.seconds += sample.seconds;
        total.cpuMs =
          total.cpuMs === undefined || cpuBefore === undefined || cpuAfter === undefined
            ? undefined
            : total.cpuMs + cpuAfter - cpuBefore;
      }
    }
    return totals.map((total) => ({
      rps: total.completed / total.seconds,
      cpuMsPerRequest: total.cpuMs === undefined ? undefined : total.cpuMs / total.completed,
    }));
  } finally {
    await Promise.all(loads.map((load) => load.close()));
  }
}

/** Sequential requests at one connection per target, in alternating rounds; ms per request. */
async function measureAtOneConnection(
  what: string,
  targets: readonly ChatTarget[],
  errors: ErrorTally,
  watched: readonly BenchServer[],
  sample: (load: ChatLoad, count: number) => Promise<number[]>,
): Promise<number[][]> {
  const loads = targets.map((target) => new ChatLoad(target, 1, errors));
  try {
    const samples = targets.map((): number[] => []);
    for (const load of loads) {
      log(`warming up ${load.target.name} at c=1 for ${warmUpMs / 1000} s`);
      await whileRunning(watched, load.saturate(1, warmUpMs));
    }
    log(`${what} at c=1: ${latencyRounds} rounds of ${latencyRequestsPerRound} per target`);
    for (let round = 0; round < latencyRounds; round++) {
      for (const [index, load] of loads.entries()) {
        samples[index]!.push(
          ...(await whileRunning(watched, sample(load, latencyRequestsPerRound))),
        );
      }
    }
    return samples;
  } finally {
    await Promise.all(loads.map((load) => load.close()));
  }
}

/** Fails fast with the server's output when a child dies mid-measurement. */
async function whileRunning<T>(watched: readonly BenchServer[], work: Promise<T>): Promise<T> {
  return Promise.race([work, ...watched.map((server) => server.child.unexpectedExit)]);
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function cleanUp(): Promise<void> {
  await gateway?.close();
  await stopAllChildren();
}

let exiting = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (exiting) return;
    exiting = true;
    log(`${signal}: stopping child processes`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .catch((error: unknown) => {
    process.stderr.write(
      `[bench] failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  })
  .then(async (code) => {
    exiting = true;
    await cleanUp();
    process.exit(code);
  })
  .catch(() => process.exit(1));
