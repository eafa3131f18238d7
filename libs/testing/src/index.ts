export * from './ports';
export * from './openai-mock/openai-mock-server';
export * from './openai-mock/openai-mock.types';
export { estimateMockTokens } from './openai-mock/mock-tokens';
export { mockEmbedding } from './openai-mock/embedding-builder';
export type { MockChatRequest, MockChatMessage } from './openai-mock/openai-request.schema';
export type { OpenAiErrorBody } from './openai-mock/openai-error-body';
export * from './anthropic-mock/anthropic-mock-server';
export * from './anthropic-mock/anthropic-mock.types';
export type { MockMessagesRequest } from './anthropic-mock/anthropic-request.schema';
export type { AnthropicMockErrorBody } from './anthropic-mock/anthropic-error-body';
export * from './gemini-mock/gemini-mock-server';
export * from './gemini-mock/gemini-mock.types';
export type {
  MockBatchEmbedContentsRequest,
  MockGenerateContentRequest,
} from './gemini-mock/gemini-request.schema';
export * from './azure-openai-mock/azure-openai-mock-server';
