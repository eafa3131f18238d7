import { parseUsd } from './usd-amount';

/** A model's price as written in a table or config: USD per 1M tokens, decimal strings. */
export interface PriceQuote {
  readonly input: string;
  readonly output: string;
  /** Prompt tokens served from the provider's cache; the input price when absent. */
  readonly cachedInput?: string;
}

/** A parsed price: nano-dollars per 1M tokens. */
export interface ModelPrice {
  readonly input: bigint;
  readonly output: bigint;
  readonly cachedInput: bigint;
}

/** Parses a quote; throws naming the field when a value is not a decimal dollar amount. */
export function parsePriceQuote(quote: PriceQuote): ModelPrice {
  const field = (name: keyof PriceQuote, text: string): bigint => {
    const value = parseUsd(text);
    if (value === undefined) throw new Error(`price ${name} "${text}" is not a decimal amount`);
    return value;
  };
  const input = field('input', quote.input);
  return {
    input,
    output: field('output', quote.output),
    cachedInput: quote.cachedInput === undefined ? input : field('cachedInput', quote.cachedInput),
  };
}

/** Free: what a built-in mock provider costs. */
export const freePrice: ModelPrice = { input: 0n, output: 0n, cachedInput: 0n };
