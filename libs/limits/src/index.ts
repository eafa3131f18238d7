export * from './limit-check';
export * from './limiter';
export * from './budget-period';
export * from './in-memory-limiter';
export * from './redis-limiter';
export * from './reservation-token';
export * from './limiter-for';
