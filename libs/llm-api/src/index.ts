export * from './openai/chat-completion-request.schema';
export * from './openai/chat-text-parts';
export * from './openai/openai-error';
export * from './openai/chat-usage';
