import { type PriceQuote } from './model-price';

/** A versioned list of model prices (USD per 1M tokens). */
export interface PriceTableData {
  readonly version: string;
  /** When the prices were taken from the providers' public pricing pages. */
  readonly date: string;
  readonly models: Readonly<Record<string, PriceQuote>>;
}

/**
 * Built-in list prices, standard tier, as published by OpenAI, Anthropic and Google.
 * Gemini prices are the ≤200k-token prompt tier. Anthropic's `cachedInput` is the cache-read
 * price. Bump `version` and `date` whenever a price changes; config can override any entry
 * (`pricing.models`) or a single target (`price`).
 */
export const defaultPriceTable: PriceTableData = {
  version: '2025-08.1',
  date: '2025-08-15',
  models: {
    // OpenAI
    'gpt-4o': { input: '2.50', output: '10.00', cachedInput: '1.25' },
    'gpt-4o-mini': { input: '0.15', output: '0.60', cachedInput: '0.075' },
    'gpt-4.1': { input: '2.00', output: '8.00', cachedInput: '0.50' },
    'gpt-4.1-mini': { input: '0.40', output: '1.60', cachedInput: '0.10' },
    'gpt-4.1-nano': { input: '0.10', output: '0.40', cachedInput: '0.025' },
    o1: { input: '15.00', output: '60.00', cachedInput: '7.50' },
    o3: { input: '2.00', output: '8.00', cachedInput: '0.50' },
    'o3-mini': { input: '1.10', output: '4.40', cachedInput: '0.55' },
    'o4-mini': { input: '1.10', output: '4.40', cachedInput: '0.275' },
    // OpenAI embeddings (input tokens only)
    'text-embedding-3-small': { input: '0.02', output: '0' },
    'text-embedding-3-large': { input: '0.13', output: '0' },
    'text-embedding-ada-002': { input: '0.10', output: '0' },
    // Anthropic
    'claude-3-5-sonnet': { input: '3.00', output: '15.00', cachedInput: '0.30' },
    'claude-3-7-sonnet': { input: '3.00', output: '15.00', cachedInput: '0.30' },
    'claude-sonnet-4': { input: '3.00', output: '15.00', cachedInput: '0.30' },
    'claude-sonnet-4-0': { input: '3.00', output: '15.00', cachedInput: '0.30' },
    'claude-3-haiku': { input: '0.25', output: '1.25', cachedInput: '0.03' },
    'claude-3-5-haiku': { input: '0.80', output: '4.00', cachedInput: '0.08' },
    'claude-3-opus': { input: '15.00', output: '75.00', cachedInput: '1.50' },
    'claude-opus-4': { input: '15.00', output: '75.00', cachedInput: '1.50' },
    'claude-opus-4-0': { input: '15.00', output: '75.00', cachedInput: '1.50' },
    'claude-opus-4-1': { input: '15.00', output: '75.00', cachedInput: '1.50' },
    // Google
    'gemini-2.5-pro': { input: '1.25', output: '10.00', cachedInput: '0.31' },
    'gemini-2.5-flash': { input: '0.30', output: '2.50', cachedInput: '0.075' },
    'gemini-2.5-flash-lite': { input: '0.10', output: '0.40', cachedInput: '0.025' },
    'gemini-2.0-flash': { input: '0.10', output: '0.40', cachedInput: '0.025' },
    'gemini-2.0-flash-lite': { input: '0.075', output: '0.30' },
  },
};
