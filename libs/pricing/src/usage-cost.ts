import { type Usage } from '@aigw/contracts';
import { type ModelPrice } from './model-price';
import { formatUsd } from './usd-amount';

const tokensPerPriceUnit = 1_000_000n;

/**
 * The dollar cost of one call's usage, as a decimal string rounded half-up to 1e-9 USD.
 *
 * Usage follows OpenAI's convention, which every adapter maps to: `promptTokens` includes
 * `cachedTokens` (billed at the cached rate, the rest at the input rate) and `completionTokens`
 * includes `reasoningTokens` (billed at the output rate like any other output).
 */
export function costOfUsage(price: ModelPrice, usage: Usage): string {
  const prompt = BigInt(usage.promptTokens);
  const cached = BigInt(Math.min(usage.cachedTokens, usage.promptTokens));
  const output = BigInt(usage.completionTokens);
  const scaled =
    (prompt - cached) * price.input + cached * price.cachedInput + output * price.output;
  const nano = (scaled + tokensPerPriceUnit / 2n) / tokensPerPriceUnit;
  return formatUsd(nano);
}
