import { type PriceTableData } from './default-price-table';
import { type ModelPrice, parsePriceQuote, type PriceQuote } from './model-price';

// Dated snapshots and aliases share their base model's price:
// gpt-4o-2024-08-06, claude-3-5-sonnet-20241022, claude-3-7-sonnet-latest, models/gemini-2.5-pro.
const snapshotSuffix = /-(?:\d{4}-\d{2}-\d{2}|\d{8}|latest)$/;
const resourcePrefix = /^models\//;

/** The model name a price is listed under. */
export function priceKeyOf(model: string): string {
  return model.trim().toLowerCase().replace(resourcePrefix, '').replace(snapshotSuffix, '');
}

/** Prices indexed once by model; overrides (from config) win over the built-in table. */
export class PriceTable {
  private readonly prices = new Map<string, ModelPrice>();
  private readonly exact = new Map<string, ModelPrice>();

  constructor(
    readonly data: PriceTableData,
    overrides: Readonly<Record<string, PriceQuote>> = {},
  ) {
    for (const [model, quote] of Object.entries(data.models))
      this.prices.set(priceKeyOf(model), parsePriceQuote(quote));
    // An override is also found under its exact spelling, so it can price one dated snapshot.
    for (const [model, quote] of Object.entries(overrides)) {
      const price = parsePriceQuote(quote);
      this.prices.set(priceKeyOf(model), price);
      this.exact.set(model, price);
    }
  }

  /** The price of a model, or undefined when neither the table nor config lists it. */
  priceOf(model: string): ModelPrice | undefined {
    return this.exact.get(model) ?? this.prices.get(priceKeyOf(model));
  }
}
