import { describe, expect, it } from 'vitest';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { PiiGuardrail, SecretsGuardrail } from '@aigw/guardrails';
import { StreamedContentGuard, type WindowGuard } from './streamed-content-guard';

const pii = new PiiGuardrail('pii', { action: 'mask', entities: ['email'] });
const secrets = new SecretsGuardrail('no-keys', { action: 'block', types: ['openai_key'] });
const guard: WindowGuard = async (_path, text) => {
  if (secrets.evaluate([text]).verdict === 'blocked') {
    throw new GatewayError(GatewayErrorCode.GuardrailBlocked, 'blocked by guardrail "no-keys"');
  }
  return pii.evaluate([text]).maskedTexts.get(0) ?? text;
};
const options = { windowChars: 8, holdChars: 32, maxChars: 256 };

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  JSON.stringify({
    id: 'c1',
    object: 'chat.completion.chunk',
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });

async function run(payloads: string[]): Promise<{ out: unknown[]; content: string }> {
  const streamGuard = new StreamedContentGuard(guard, options);
  const out: string[] = [];
  for (const payload of payloads) out.push(...(await streamGuard.process(payload)));
  out.push(...(await streamGuard.finish()));
  const parsed = out.map(
    (payload) => JSON.parse(payload) as { choices?: { delta?: { content?: string } }[] },
  );
  const content = parsed.map((p) => p.choices?.[0]?.delta?.content ?? '').join('');
  return { out: parsed, content };
}

describe('StreamedContentGuard', () => {
  it('masks an email split over three chunks and keeps role, finish and usage chunks', async () => {
    const text =
      'Sure! You can reach our support team at help.desk@exam' + 'ple.com any time of day.';
    const { out, content } = await run([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: text.slice(0, 40) }),
      chunk({ content: text.slice(40, 52) }),
      chunk({ content: text.slice(52) }),
      chunk({}, 'stop'),
      JSON.stringify({ id: 'c1', choices: [], usage: { prompt_tokens: 3, completion_tokens: 9 } }),
    ]);
    expect(content).toBe('Sure! You can reach our support team at [EMAIL_1] any time of day.');
    expect(out[0]).toMatchObject({ choices: [{ delta: { role: 'assistant' } }] });
    expect(out.at(-2)).toMatchObject({ choices: [{ finish_reason: 'stop' }] });
    expect(out.at(-1)).toMatchObject({ usage: { completion_tokens: 9 } });
  });

  it('flushes held text at the end of a stream without a finish reason', async () => {
    const { content } = await run([chunk({ content: 'mail a@b.io' })]);
    expect(content).toBe('mail [EMAIL_1]');
  });

  it('passes payloads it cannot read through untouched', async () => {
    const streamGuard = new StreamedContentGuard(guard, options);
    expect(await streamGuard.process('not json')).toEqual(['not json']);
  });

  it('blocks mid-stream without releasing the held secret', async () => {
    const streamGuard = new StreamedContentGuard(guard, options);
    const released: string[] = [];
    const key = 'sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD';
    const attempt = async () => {
      for (const part of [
        'Here is the key: ',
        key.slice(0, 20),
        key.slice(20),
        ' and more text to fill the window.',
      ]) {
        released.push(...(await streamGuard.process(chunk({ content: part }))));
      }
    };
    await expect(attempt()).rejects.toMatchObject({ code: GatewayErrorCode.GuardrailBlocked });
    expect(released.join('')).not.toContain('sk-abc');
  });
});
