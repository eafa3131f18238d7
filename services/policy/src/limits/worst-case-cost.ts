import { type RouteTarget } from '@aigw/contracts';
import { type CompiledConfig } from '@aigw/config';
import { ConfiguredPrices } from '@aigw/pricing';

const tokensPerPriceUnit = 1_000_000n;

/**
 * The most a request can cost: over every target it may be routed to, prompt tokens at the
 * input price plus the output cap at the output price, rounded up to a nano-dollar. Prices
 * resolve as the router's do (target `price`, then `pricing.models`, then the built-in table; a
 * `mock` provider is free). A target without a known price adds nothing: its calls record no
 * cost either.
 */
export class WorstCaseCost {
  private readonly prices = new ConfiguredPrices();

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
      const price = this.prices.priceOf(config, target.provider, target.model, configured?.price);
      if (!price) continue;
      const scaled = BigInt(promptTokens) * price.input + BigInt(outputTokens) * price.output;
      const nano = (scaled + tokensPerPriceUnit - 1n) / tokensPerPriceUnit;
      if (nano > worst) worst = nano;
    }
    return Number(worst);
  }
}
