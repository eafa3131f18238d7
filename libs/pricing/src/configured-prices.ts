import { defaultPriceTable } from './default-price-table';
import { freePrice, type ModelPrice, parsePriceQuote, type PriceQuote } from './model-price';
import { PriceTable } from './price-table';

/** A price as config writes it (USD per 1M tokens, decimal strings). */
export interface PriceSettings {
  readonly input: string;
  readonly output: string;
  readonly cached_input?: string;
}

/** The parts of a loaded config that prices depend on. */
export interface PricedConfig {
  readonly raw: { readonly pricing: { readonly models: Readonly<Record<string, PriceSettings>> } };
  readonly providers: ReadonlyMap<string, { readonly type: string }>;
}

/**
 * Resolves the price of a (provider, model) target the same way wherever it is needed (cost
 * after a call, worst case before one): the target's own `price`, then `pricing.models`, then
 * the built-in table; a `mock` provider is free unless priced. Indexed once per config load.
 */
export class ConfiguredPrices {
  private readonly tables = new WeakMap<PricedConfig, PriceTable>();
  private readonly targetPrices = new WeakMap<PriceSettings, ModelPrice>();

  priceOf(
    config: PricedConfig,
    provider: string,
    model: string,
    targetPrice: PriceSettings | undefined,
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

  private tableFor(config: PricedConfig): PriceTable {
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

function quoteOf(price: PriceSettings): PriceQuote {
  return { input: price.input, output: price.output, cachedInput: price.cached_input };
}
