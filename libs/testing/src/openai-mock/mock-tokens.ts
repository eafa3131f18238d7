import { type MockChatMessage } from './openai-request.schema';

/**
 * The mock's deterministic token count for a text: `ceil(length / 4)`, length in UTF-16 code
 * units (`String#length`). The empty text counts 0. Tests can use it to predict `usage`.
 */
export function estimateMockTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The text of a message: its string content or its text parts joined; other parts count 0. */
export function messageText(message: MockChatMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!content) return '';
  let text = '';
  for (const part of content) if (part.text !== undefined) text += part.text;
  return text;
}

/** `prompt_tokens` of a chat request: the sum of {@link estimateMockTokens} over its messages. */
export function promptTokensOf(messages: readonly MockChatMessage[]): number {
  let tokens = 0;
  for (const message of messages) tokens += estimateMockTokens(messageText(message));
  return tokens;
}
