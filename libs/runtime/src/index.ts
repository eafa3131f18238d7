export * from './tokens';
export * from './shutdown-signals';
export * from './service-runtime';
export * from './runtime.module';
export * from './grpc-service-main';
export * from './startup-failure';
export * from './config-change-audit';
