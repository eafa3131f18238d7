export * from './ports';
export * from './openai-mock/openai-mock-server';
export * from './openai-mock/openai-mock.types';
export { estimateMockTokens } from './openai-mock/mock-tokens';
export { mockEmbedding } from './openai-mock/embedding-builder';
export type { MockChatRequest, MockChatMessage } from './openai-mock/openai-request.schema';
export type { OpenAiErrorBody } from './openai-mock/openai-error-body';
