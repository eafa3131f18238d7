export * from './policy-decider';
export * from './policy.grpc-service';
export * from './policy.module';
export * from './identity';
