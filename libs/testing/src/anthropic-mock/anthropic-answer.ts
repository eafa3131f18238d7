import { estimateMockTokens } from '../openai-mock/mock-tokens';
import { type AnthropicMockFaultBehaviour } from './anthropic-mock.types';
import { type MockCountTokensRequest, type MockMessagesRequest } from './anthropic-request.schema';

/** What the assistant answers, decided before it is shaped as a message or a stream. */
export type MessageAnswer =
  | {
      readonly kind: 'text';
      readonly text: string;
      readonly stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence';
      readonly stopSequence: string | null;
    }
  | {
      readonly kind: 'tool-use';
      readonly id: string;
      readonly name: string;
      readonly input: Readonly<Record<string, unknown>>;
    };

/** A scripted fault that changes what a message says. */
export type MessageContentOverride = Extract<
  AnthropicMockFaultBehaviour,
  { kind: 'reply' | 'tool-use' }
>;

/** Documented usage fields of a message, all present. */
export interface MockUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

type Content = MockMessagesRequest['messages'][number]['content'];

function textOf(content: Content | MockMessagesRequest['system']): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  let text = '';
  for (const block of content) if (typeof block.text === 'string') text += block.text;
  return text;
}

/** The default reply: `echo: ` and the text of the last user message. */
export function echoLastUserMessage(request: MockMessagesRequest): string {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index];
    if (message?.role === 'user') return `echo: ${textOf(message.content)}`;
  }
  return 'echo: ';
}

/**
 * Picks the answer: a scripted tool use (only when tools were offered), or the scripted or
 * default text cut at the first stop sequence or at `max_tokens * 4` characters.
 */
export function decideMessageAnswer(
  request: MockMessagesRequest,
  override: MessageContentOverride | undefined,
  defaultReply: (request: MockMessagesRequest) => string,
  toolUseId: string,
): MessageAnswer {
  if (override?.kind === 'tool-use' && request.tools && request.tools.length > 0) {
    return { kind: 'tool-use', id: toolUseId, name: override.name, input: override.input };
  }
  let text = override?.kind === 'reply' ? override.content : defaultReply(request);
  for (const sequence of request.stop_sequences ?? []) {
    const at = sequence === '' ? -1 : text.indexOf(sequence);
    if (at !== -1) {
      return {
        kind: 'text',
        text: text.slice(0, at),
        stopReason: 'stop_sequence',
        stopSequence: sequence,
      };
    }
  }
  if (estimateMockTokens(text) > request.max_tokens) {
    text = text.slice(0, request.max_tokens * 4);
    return { kind: 'text', text, stopReason: 'max_tokens', stopSequence: null };
  }
  return { kind: 'text', text, stopReason: 'end_turn', stopSequence: null };
}

/** Prompt tokens as the mock counts them: {@link estimateMockTokens} of system and each message. */
export function inputTokensOf(request: MockCountTokensRequest): number {
  let tokens = estimateMockTokens(textOf(request.system));
  for (const message of request.messages) tokens += estimateMockTokens(textOf(message.content));
  return tokens;
}

export function usageOf(
  request: MockMessagesRequest,
  answer: MessageAnswer,
  override: MessageContentOverride | undefined,
): MockUsage {
  return {
    input_tokens: inputTokensOf(request),
    output_tokens:
      answer.kind === 'text'
        ? estimateMockTokens(answer.text)
        : estimateMockTokens(answer.name) + estimateMockTokens(JSON.stringify(answer.input)),
    cache_creation_input_tokens:
      override?.kind === 'reply' ? (override.cacheCreationTokens ?? 0) : 0,
    cache_read_input_tokens: override?.kind === 'reply' ? (override.cacheReadTokens ?? 0) : 0,
  };
}
