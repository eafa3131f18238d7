export * from './guardrail-judge';
export * from './guardrail.grpc-service';
export * from './guardrail-judge.module';
