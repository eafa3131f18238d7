export * from './standalone-gateway';
