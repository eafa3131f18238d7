import { PiiGuardrail, piiEntityTypes, SecretsGuardrail, secretTypes } from '@aigw/guardrails';
import { latencySummary } from './percentiles';
import { streamHoldBackSection } from './stream-hold-back.bench-section';

// A ~4,000-token prompt (~16 KB): prose with a realistic sprinkling of entities and secrets.
const paragraph =
  'The quarterly report covers revenue, churn and the roadmap for the next two releases. ' +
  'Ping ops@example.com or +1 415 555 0132 about order 12345678 shipped on 2024-01-31, ' +
  'version 1.2.3 of the client and request 550e8400-e29b-41d4-a716-446655440000. ';
const prompt = `${paragraph.repeat(Math.ceil(16_000 / paragraph.length))}Deploy key AKIAIOSFODNN7EXAMPLE.`;

const pii = new PiiGuardrail('pii', { action: 'mask', entities: piiEntityTypes });
const secrets = new SecretsGuardrail('secrets', { action: 'mask', types: secretTypes });

function guardOnce(): void {
  pii.evaluate([prompt]);
  secrets.evaluate([prompt]);
}

/** Runs PII + secrets over one 4,000-token prompt, repeatedly, on this one core. */
async function main(): Promise<void> {
  for (let i = 0; i < 200; i++) guardOnce();
  const samples: number[] = [];
  const started = performance.now();
  while (performance.now() - started < 3_000) {
    const at = performance.now();
    guardOnce();
    samples.push(performance.now() - at);
  }
  const seconds = (performance.now() - started) / 1000;
  const megabytes = (Buffer.byteLength(prompt) * samples.length) / 1_000_000;
  const { p50, p99 } = latencySummary(samples);
  console.log(`guardrails bench: PII (all entities) + secrets (all types), mask`);
  console.log(
    `prompt: ${Buffer.byteLength(prompt)} bytes (~${Math.round(prompt.length / 4)} tokens), ${samples.length} runs`,
  );
  console.log(`throughput: ${(megabytes / seconds).toFixed(1)} MB/s per core (target >= 50)`);
  console.log(`latency: p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms (target p99 <= 1 ms)`);
  await streamHoldBackSection();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
