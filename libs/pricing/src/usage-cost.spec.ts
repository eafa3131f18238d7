import { describe, expect, it } from 'vitest';
import { parsePriceQuote } from './model-price';
import { costOfUsage } from './usage-cost';
import { formatUsd, parseUsd } from './usd-amount';

const usage = (
  promptTokens: number,
  completionTokens: number,
  cachedTokens = 0,
  reasoningTokens = 0,
) => ({
  promptTokens,
  completionTokens,
  cachedTokens,
  reasoningTokens,
});

describe('usd amounts', () => {
  it('parses decimals into exact nano-dollars and formats them back without trailing zeros', () => {
    expect(parseUsd('2.50')).toBe(2_500_000_000n);
    expect(parseUsd('0.000000001')).toBe(1n);
    expect(parseUsd('15')).toBe(15_000_000_000n);
    expect(formatUsd(2_500_000_000n)).toBe('2.5');
    expect(formatUsd(12_750n)).toBe('0.00001275');
    expect(formatUsd(0n)).toBe('0');
  });

  it.each(['', '-1', '1e-5', '0.0000000001', '1,5', 'abc'])('refuses %j', (text) => {
    expect(parseUsd(text)).toBeUndefined();
  });
});

describe('costOfUsage', () => {
  const gpt4o = parsePriceQuote({ input: '2.50', output: '10.00', cachedInput: '1.25' });

  it('prices input and output per million tokens, exactly', () => {
    // 1000 × 2.50/1M + 500 × 10/1M = 0.0025 + 0.005
    expect(costOfUsage(gpt4o, usage(1000, 500))).toBe('0.0075');
  });

  it('bills cached prompt tokens at the cached rate and the rest at the input rate', () => {
    // 600 × 2.50 + 400 × 1.25 + 500 × 10 (per 1M) = 0.0015 + 0.0005 + 0.005
    expect(costOfUsage(gpt4o, usage(1000, 500, 400))).toBe('0.007');
  });

  it('bills reasoning tokens as output: they are part of the completion tokens', () => {
    const o3 = parsePriceQuote({ input: '2.00', output: '8.00', cachedInput: '0.50' });
    // 100 × 2 + 1000 × 8 (per 1M): 900 of the 1000 completion tokens were reasoning.
    expect(costOfUsage(o3, usage(100, 1000, 0, 900))).toBe('0.0082');
    expect(costOfUsage(o3, usage(100, 1000, 0, 0))).toBe(costOfUsage(o3, usage(100, 1000, 0, 900)));
  });

  it('uses the input price for cached tokens when no cached price is given', () => {
    const flat = parsePriceQuote({ input: '0.30', output: '0.30' });
    expect(costOfUsage(flat, usage(1000, 0, 1000))).toBe(costOfUsage(flat, usage(1000, 0, 0)));
  });

  it('never counts more cached tokens than prompt tokens', () => {
    expect(costOfUsage(gpt4o, usage(100, 0, 5000))).toBe('0.000125');
  });

  it('rounds half-up to a nano-dollar, where floats would drift', () => {
    const cheap = parsePriceQuote({ input: '0.075', output: '0.30' });
    // 3 × 0.075/1M = 0.000000225 exactly; one token at 0.0004/1M (0.4 nano-dollars) rounds
    // down, at 0.0005/1M (0.5 nano-dollars) up.
    expect(costOfUsage(cheap, usage(3, 0))).toBe('0.000000225');
    expect(costOfUsage(parsePriceQuote({ input: '0.0004', output: '0' }), usage(1, 0))).toBe('0');
    expect(costOfUsage(parsePriceQuote({ input: '0.0005', output: '0' }), usage(1, 0))).toBe(
      '0.000000001',
    );
    expect(
      costOfUsage(parsePriceQuote({ input: '0.1', output: '0.2' }), usage(1_000_000, 1_000_000)),
    ).toBe('0.3');
  });

  it('is zero for zero usage', () => {
    expect(costOfUsage(gpt4o, usage(0, 0))).toBe('0');
  });
});
