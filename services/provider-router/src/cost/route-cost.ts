import { type Usage } from '@aigw/contracts';
import { type CompiledConfig, type PriceConfig } from '@aigw/config';
import {
  costOfUsage,
  defaultPriceTable,
  freePrice,
  type ModelPrice,
  parsePriceQuote,
  type PriceQuote,
  PriceTable,
} from '@aigw/pricing';

/** Where a target's price comes from; `unknown` becomes an empty cost and a warning event. */
export type CostResult = { readonly known: true; readonly usd: string } | { readonly known: false };

/**
 * Dollar cost of a served request. Price precedence: the target's `price`, then
 * `pricing.models`, then the built-in table; a `mock` provider is free unless priced.
 * The price table is indexed once per config load.
 */
export class RouteCost {
  private readonly tables = new WeakMap<CompiledConfig, PriceTable>();
  private readonly targetPrices = new WeakMap<PriceConfig, ModelPrice>();

  costOf(
    config: CompiledConfig,
    provider: string,
    model: string,
    targetPrice: PriceConfig | undefined,
    usage: Usage,
  ): CostResult {
    const price = this.priceOf(config, provider, model, targetPrice);
    return price ? { known: true, usd: costOfUsage(price, usage) } : { known: false };
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
