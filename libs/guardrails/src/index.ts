export * from './guardrail-verdict';
export * from './pii/pii-entity';
export * from './pii/pii-detectors';
export * from './pii/pii-masker';
export * from './pii/pii-guardrail';
