import { describe, expect, it } from 'vitest';
import { PiiGuardrail, SecretsGuardrail, secretTypes } from '@aigw/guardrails';
import { type HoldBackOptions, StreamHoldBack } from './stream-hold-back';

const pii = new PiiGuardrail('pii', {
  action: 'mask',
  entities: ['email', 'phone', 'credit_card'],
});
const secrets = new SecretsGuardrail('secrets', { action: 'mask', types: secretTypes });
const mask = (text: string) => {
  const once = pii.evaluate([text]).maskedTexts.get(0) ?? text;
  return secrets.evaluate([once]).maskedTexts.get(0) ?? once;
};
const small: HoldBackOptions = { windowChars: 16, holdChars: 64, maxChars: 512 };

/** Streams chunks through a hold-back the way the ingress does; returns what the client sees. */
function stream(chunks: readonly string[], options = small): { out: string; maxHeld: number } {
  const holdBack = new StreamHoldBack(options);
  let out = '';
  let maxHeld = 0;
  for (const chunk of chunks) {
    holdBack.push(chunk);
    maxHeld = Math.max(maxHeld, holdBack.heldChars);
    if (holdBack.shouldEvaluate()) out += holdBack.release(mask(holdBack.window()));
  }
  return { out: out + holdBack.release(mask(holdBack.window()), true), maxHeld };
}

const generic = (text: string) => text.replace(/\[([A-Z_]+)_\d+\]/g, '[$1]');
const filler = 'The quick brown fox jumps over the lazy dog. ';

describe('StreamHoldBack', () => {
  it('masks an email split across two chunks', () => {
    const { out } = stream([
      `${filler.repeat(3)}write to jane.do`,
      `e@example.com now. ${filler.repeat(3)}`,
    ]);
    expect(out).toContain('write to [EMAIL_1] now.');
    expect(out).not.toMatch(/jane|example\.com/);
  });

  it('masks a phone number and an API key split across three chunks', () => {
    const key = 'sk-proj-Ab3dEf6hIj9kLmNoPqRsTuVwXyZ0123456789';
    const text = `${filler.repeat(2)}call +44 20 7946 0958 and use ${key} ok. ${filler.repeat(4)}`;
    const cuts = [text.indexOf('7946') + 2, text.indexOf(key) + 10, text.indexOf(key) + 30];
    const chunks = [0, ...cuts].map((start, i) => text.slice(start, cuts[i] ?? text.length));
    const { out } = stream(chunks);
    expect(out).toContain('call [PHONE_1] and use [OPENAI_KEY_1] ok.');
    expect(out).not.toContain('7946');
    expect(out).not.toContain('Ab3dEf');
  });

  it('flushes held text at the end of a stream shorter than one window', () => {
    const holdBack = new StreamHoldBack(small);
    holdBack.push('short: a@b.io');
    expect(holdBack.shouldEvaluate()).toBe(false);
    expect(holdBack.release(mask(holdBack.window()), true)).toBe('short: [EMAIL_1]');
    expect(holdBack.heldChars).toBe(0);
  });

  it('masks every entity whatever the chunking (random splits, token-sized chunks)', () => {
    const values = [
      'ann@corp.io',
      '+1 415 555 0132',
      '4111 1111 1111 1111',
      'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
    ];
    const text = Array.from(
      { length: 12 },
      (_, i) => `${filler}item ${i}: ${values[i % 4]} then more. `,
    ).join('');
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 40; trial++) {
      const chunks: string[] = [];
      for (let at = 0; at < text.length;) {
        const size = 1 + Math.floor(random() * 12);
        chunks.push(text.slice(at, at + size));
        at += size;
      }
      const { out } = stream(chunks);
      for (const value of values) expect(out).not.toContain(value);
      expect(generic(out)).toBe(generic(mask(text)));
    }
  });

  it('bounds what it holds: windowChars + holdChars plus one chunk, released as it goes', () => {
    const chunks = Array.from({ length: 200 }, () => 'lorem ipsum ');
    const holdBack = new StreamHoldBack(small);
    let released = 0;
    chunks.forEach((chunk, index) => {
      holdBack.push(chunk);
      expect(holdBack.heldChars).toBeLessThanOrEqual(
        small.windowChars + small.holdChars + chunk.length,
      );
      if (holdBack.shouldEvaluate()) released += holdBack.release(holdBack.window()).length;
      // Everything but the bounded hold-back has gone out.
      expect((index + 1) * chunk.length - released).toBeLessThanOrEqual(
        small.windowChars + small.holdChars,
      );
    });
  });

  it('still releases text dense with entities, within maxChars', () => {
    const chunks = Array.from({ length: 120 }, (_, i) => `u${i}@x.io `);
    const { out, maxHeld } = stream(chunks);
    expect(maxHeld).toBeLessThanOrEqual(small.maxChars + 16);
    expect(out).not.toMatch(/@x\.io/);
  });
});
