export * from './uuidv7';
export * from './gateway-error';
export * from './logger';
export * from './hashing';
export * from './timing';
export * from './egress-guard';
export * from './tracing-active';
