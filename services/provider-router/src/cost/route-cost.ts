import { type Usage } from '@aigw/contracts';
import { type CompiledConfig, type PriceConfig } from '@aigw/config';
import { ConfiguredPrices, costOfUsage } from '@aigw/pricing';

/** Where a target's price comes from; `unknown` becomes an empty cost and a warning event. */
export type CostResult = { readonly known: true; readonly usd: string } | { readonly known: false };

/**
 * Dollar cost of a served request, at the target's price as ConfiguredPrices resolves it.
 */
export class RouteCost {
  private readonly prices = new ConfiguredPrices();

  costOf(
    config: CompiledConfig,
    provider: string,
    model: string,
    targetPrice: PriceConfig | undefined,
    usage: Usage,
  ): CostResult {
    const price = this.prices.priceOf(config, provider, model, targetPrice);
    return price ? { known: true, usd: costOfUsage(price, usage) } : { known: false };
  }
}
