export * from './usd-amount';
export * from './model-price';
export * from './usage-cost';
export * from './default-price-table';
export * from './price-table';
export * from './configured-prices';
