export * from './limit-gate';
export * from './limit-rules';
export * from './worst-case-cost';
export * from './create-limiter';
export * from './limit-response';
