export * from './config.schema';
export * from './routing.schema';
export * from './config-error';
export * from './compiled-config';
export * from './config-loader';
export * from './config-source';
