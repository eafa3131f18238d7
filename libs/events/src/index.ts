export * from './topics';
export * from './event-ports';
export * from './envelope';
export * from './envelope-codec';
