export * from './grpc-server-host';
export * from './grpc-client-factory';
export * from './grpc-target';
export { Status, ServerError, ClientError, type Channel } from 'nice-grpc';
