export * from './sink-worker';
export * from './analytics-query.grpc-service';
export * from './analytics-sink.module';
