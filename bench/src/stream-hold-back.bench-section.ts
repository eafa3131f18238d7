import { PiiGuardrail, piiEntityTypes, SecretsGuardrail, secretTypes } from '@aigw/guardrails';
import { defaultHoldBackOptions, StreamedContentGuard } from '@aigw/ingress';
import { latencySummary } from './percentiles';

const pii = new PiiGuardrail('pii', { action: 'mask', entities: piiEntityTypes });
const secrets = new SecretsGuardrail('secrets', { action: 'mask', types: secretTypes });

/** The response guard as the ingress runs it, with the judge in-process (standalone mode). */
async function guardWindow(_path: string, text: string): Promise<string> {
  const masked = pii.evaluate([text]).maskedTexts.get(0) ?? text;
  return secrets.evaluate([masked]).maskedTexts.get(0) ?? masked;
}

const filler =
  'The rollout plan has three phases: canary in one region, then half the fleet, then the rest, ' +
  'each gated on error rate and latency staying within the budget agreed with the service owners. ';

// ~4,000-token answers streamed as ~4-character deltas, like a model's tokens: one with an entity
// every ~600 characters, one (worst case) with two entities every ~90.
const answers: Record<string, string> = {
  sparse: `${filler.repeat(3)}Contact ops@example.com for access. `.repeat(27),
  dense:
    'Sure: the on-call contact is ops@example.com, phone +1 415 555 0132, for order 12345678. '.repeat(
      182,
    ),
};

function streamOf(answer: string): { deltas: string[]; payloads: string[] } {
  const deltas = answer.match(/.{1,4}/gs) ?? [];
  const payloads = deltas.map((content, index) =>
    JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'bench',
      choices: [
        {
          index: 0,
          delta: { content },
          finish_reason: index === deltas.length - 1 ? 'stop' : null,
        },
      ],
    }),
  );
  return { deltas, payloads };
}

/**
 * Streaming response guardrails: what the hold-back window costs. Two numbers matter: the CPU a
 * chunk spends in the guard (added per-chunk latency), and how much text is held before the
 * first guarded text is released (added time to first token, in characters of the answer).
 */
export async function streamHoldBackSection(): Promise<void> {
  const { windowChars, holdChars } = defaultHoldBackOptions;
  console.log('');
  console.log(
    `streaming response guard (PII + secrets, hold-back ${windowChars}+${holdChars} chars, in-process judge)`,
  );
  for (const [name, answer] of Object.entries(answers)) await measure(name, answer);
}

async function measure(name: string, answer: string): Promise<void> {
  const { deltas, payloads } = streamOf(answer);
  const perChunk: number[] = [];
  let firstReleaseAtChars = 0;
  let streams = 0;
  const started = performance.now();
  while (performance.now() - started < 2_000) {
    const guard = new StreamedContentGuard(guardWindow);
    let seen = 0;
    let released = false;
    for (const [index, payload] of payloads.entries()) {
      const at = performance.now();
      const out = await guard.process(payload);
      perChunk.push(performance.now() - at);
      seen += deltas[index]!.length;
      const hasText = out.some((chunk) => /"content":"[^"]/.test(chunk));
      if (!released && hasText) {
        released = true;
        firstReleaseAtChars = seen;
      }
    }
    await guard.finish();
    streams += 1;
  }
  const { p50, p99 } = latencySummary(perChunk);
  console.log(
    `${name} answer (${answer.length} chars, ${deltas.length} chunks, ${streams} streams): ` +
      `added per chunk p50 ${(p50 * 1000).toFixed(1)} µs, p99 ${(p99 * 1000).toFixed(1)} µs; ` +
      `first guarded text after ${firstReleaseAtChars} chars (~${Math.round(firstReleaseAtChars / 4)} tokens)`,
  );
}
