export * from './provider-router';
export * from './router.grpc-service';
export * from './provider-router.module';
