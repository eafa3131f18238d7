import { describe, expect, it } from 'vitest';
import { detectPii } from './pii-detectors';
import { PiiGuardrail } from './pii-guardrail';

describe('detectPii', () => {
  it.each([
    'alice@example.com',
    'bob.smith+tag@mail.co.uk',
    '+1 415 555 0132',
    '+44 20 7946 0958',
    '(415) 555-0132',
    '415-555-0132',
    '+49 30 1234567',
  ])('finds %s', (value) => {
    const spans = detectPii(`contact: ${value} today`, ['email', 'phone']);
    expect(spans).toHaveLength(1);
    expect(`contact: ${value} today`.slice(spans[0]!.start, spans[0]!.end)).toBe(value);
  });

  it.each([
    'order 12345',
    'on 2024-01-31',
    'version 1.2.3',
    'v10.4.1',
    'id 550e8400-e29b-41d4-a716-446655440000',
    'pay 120.50 now',
  ])('ignores %s', (text) => {
    expect(detectPii(text, ['email', 'phone'])).toEqual([]);
  });
});

describe('PiiGuardrail', () => {
  it('masks with typed placeholders, the same value with the same placeholder', () => {
    const guardrail = new PiiGuardrail('pii', { action: 'mask', entities: ['email', 'phone'] });
    const outcome = guardrail.evaluate([
      'mail a@b.io or c@d.io',
      'again a@b.io, call +1 415 555 0132',
      'nothing here',
    ]);
    expect(outcome.verdict).toBe('masked');
    expect(outcome.maskedTexts.get(0)).toBe('mail [EMAIL_1] or [EMAIL_2]');
    expect(outcome.maskedTexts.get(1)).toBe('again [EMAIL_1], call [PHONE_1]');
    expect(outcome.maskedTexts.has(2)).toBe(false);
    expect(Object.fromEntries(outcome.entities)).toEqual({ email: 3, phone: 1 });
  });

  it('blocks without masking when the action is block', () => {
    const guardrail = new PiiGuardrail('no-pii', { action: 'block', entities: ['email'] });
    const outcome = guardrail.evaluate(['reach me at x@y.com', '+1 415 555 0132']);
    expect(outcome.verdict).toBe('blocked');
    expect(outcome.maskedTexts.size).toBe(0);
    expect(Object.fromEntries(outcome.entities)).toEqual({ email: 1 });
  });

  it('passes clean text', () => {
    const guardrail = new PiiGuardrail('pii', { action: 'mask', entities: ['email', 'phone'] });
    expect(guardrail.evaluate(['hello world']).verdict).toBe('passed');
  });
});
