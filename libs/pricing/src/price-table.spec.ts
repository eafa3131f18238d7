import { describe, expect, it } from 'vitest';
import { defaultPriceTable } from './default-price-table';
import { parsePriceQuote } from './model-price';
import { PriceTable, priceKeyOf } from './price-table';

describe('PriceTable', () => {
  const table = new PriceTable(defaultPriceTable);

  it('carries a version and the date its prices were taken', () => {
    expect(defaultPriceTable.version).toMatch(/\S/);
    expect(defaultPriceTable.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each([
    ['gpt-4o', 'gpt-4o'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['GPT-4o-mini', 'gpt-4o-mini'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['models/gemini-2.5-pro', 'gemini-2.5-pro'],
  ])('prices %s as %s', (model, listed) => {
    expect(priceKeyOf(model)).toBe(listed);
    expect(table.priceOf(model)).toEqual(parsePriceQuote(defaultPriceTable.models[listed]!));
  });

  it('does not guess a price for a model it does not list', () => {
    expect(table.priceOf('llama-3.1-8b')).toBeUndefined();
    expect(table.priceOf('gpt-4o-audio-preview')).toBeUndefined();
  });

  it('lets config override a listed price and add unlisted models', () => {
    const overridden = new PriceTable(defaultPriceTable, {
      'gpt-4o': { input: '2.00', output: '8.00' },
      'llama-3.1-8b': { input: '0.20', output: '0.20' },
    });
    expect(overridden.priceOf('gpt-4o')).toEqual({
      input: 2_000_000_000n,
      output: 8_000_000_000n,
      cachedInput: 2_000_000_000n,
    });
    expect(overridden.priceOf('llama-3.1-8b')?.output).toBe(200_000_000n);
  });

  it('parses every built-in price', () => {
    for (const quote of Object.values(defaultPriceTable.models)) {
      expect(() => parsePriceQuote(quote)).not.toThrow();
    }
  });
});
