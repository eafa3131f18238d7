import { type RouteTarget } from '@aigw/contracts';
import { type CompiledConfig, type PriceConfig } from '@aigw/config';
import {
  defaultPriceTable,
  freePrice,
  type ModelPrice,
  parsePriceQuote,
  type PriceQuote,
  PriceTable,
} from '@aigw/pricing';

const tokensPerPriceUnit = 1_000_000n;

/**
 * The most a request can cost: over every target it may be routed to, prompt tokens at the
 * input price plus the output cap at the output price, rounded up to a nano-dollar. Prices
 * resolve as the router's do (target `price`, then `pricing.models`, then the built-in table; a
 * `mock` provider is free). A target without a known price adds nothing: its calls record no
 * cost either.
 */
export class WorstCaseCost {
  private readonly tables = new WeakMap<CompiledConfig, PriceTable>();
  private readonly targetPrices = new WeakMap<PriceConfig, ModelPrice>();

  nanoUsdOf(
    config: CompiledConfig,
    endpointName: string,
    targets: readonly RouteTarget[],
    promptTokens: number,
    outputTokens: number,
  ): number {
    const endpoint = config.endpoints.get(endpointName);
    let worst = 0n;
    for (const target of targets) {
      const configured = endpoint?.config.targets.find(
        (candidate) => candidate.provider === target.provider && candidate.model === target.model,
      );
      const price = this.priceOf(config, target.provider, target.model, configured?.price);
      if (!price) continue;
      const scaled = BigInt(promptTokens) * price.input + BigInt(outputTokens) * price.output;
      const nano = (scaled + tokensPerPriceUnit - 1n) / tokensPerPriceUnit;
      if (nano > worst) worst = nano;
    }
    return Number(worst);
  }

  private priceOf(
    config: CompiledConfig,
    provider: string,
    model: string,
    targetPrice: PriceConfig | undefined,
  ): ModelPrice | undefined {
    if (targetPrice) {
      let parsed = this.targetPrices.get(targetPrice);
      if (!parsed) {
        parsed = parsePriceQuote(quoteOf(targetPrice));
        this.targetPrices.set(targetPrice, parsed);
      }
      return parsed;
    }
    const listed = this.tableFor(config).priceOf(model);
    if (listed) return listed;
    return config.providers.get(provider)?.type === 'mock' ? freePrice : undefined;
  }

  private tableFor(config: CompiledConfig): PriceTable {
    let table = this.tables.get(config);
    if (!table) {
      const overrides = Object.fromEntries(
        Object.entries(config.raw.pricing.models).map(([model, price]) => [model, quoteOf(price)]),
      );
      table = new PriceTable(defaultPriceTable, overrides);
      this.tables.set(config, table);
    }
    return table;
  }
}

function quoteOf(price: PriceConfig): PriceQuote {
  return { input: price.input, output: price.output, cachedInput: price.cached_input };
}
