export * from './ingress.module';
export * from './ingress.tokens';
export * from './ingress-readiness';
export * from './http/ingress-http-app';
export * from './pipeline/chat-pipeline';
export * from './pipeline/ingress-clients';
export * from './ingress-server';
export * from './grpc-ingress-clients';
