import { type CompletionUsage } from 'openai/resources/completions';
import { estimateMockTokens, messageText, promptTokensOf } from './mock-tokens';
import { type OpenAiMockFaultBehaviour } from './openai-mock.types';
import { type MockChatRequest } from './openai-request.schema';

/** What the assistant answers, decided before it is shaped as a completion or a stream. */
export type ChatAnswer =
  | { readonly kind: 'text'; readonly content: string; readonly finishReason: 'stop' | 'length' }
  | {
      readonly kind: 'tool-call';
      readonly callId: string;
      readonly name: string;
      readonly arguments: string;
    };

/** A scripted fault that changes what a chat completion says. */
export type ChatContentOverride = Extract<
  OpenAiMockFaultBehaviour,
  { kind: 'reply' | 'tool-call' }
>;

/** The default reply: `echo: ` and the text of the last user message. */
export function echoLastUserMessage(request: MockChatRequest): string {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index];
    if (message?.role === 'user') return `echo: ${messageText(message)}`;
  }
  return 'echo: ';
}

/** Picks the answer: a scripted tool call (only when tools were offered), scripted or default text. */
export function decideChatAnswer(
  request: MockChatRequest,
  override: ChatContentOverride | undefined,
  defaultReply: (request: MockChatRequest) => string,
  callId: string,
): ChatAnswer {
  if (override?.kind === 'tool-call' && request.tools && request.tools.length > 0) {
    const args = override.arguments;
    return {
      kind: 'tool-call',
      callId,
      name: override.name,
      arguments: typeof args === 'string' ? args : JSON.stringify(args),
    };
  }
  const content = override?.kind === 'reply' ? override.content : defaultReply(request);
  return truncateToLimit(content, request.max_completion_tokens ?? request.max_tokens);
}

// A token limit cuts the text at limit * 4 characters, which is exactly `limit` mock tokens.
function truncateToLimit(content: string, limit: number | null | undefined): ChatAnswer {
  if (limit == null || estimateMockTokens(content) <= limit) {
    return { kind: 'text', content, finishReason: 'stop' };
  }
  return { kind: 'text', content: content.slice(0, limit * 4), finishReason: 'length' };
}

/** Usage as the mock counts it: {@link estimateMockTokens} of the prompt and of the answer. */
export function usageOf(request: MockChatRequest, answer: ChatAnswer): CompletionUsage {
  const promptTokens = promptTokensOf(request.messages);
  const completionTokens =
    answer.kind === 'text'
      ? estimateMockTokens(answer.content)
      : estimateMockTokens(answer.name) + estimateMockTokens(answer.arguments);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}
