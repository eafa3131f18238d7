import { type ChatCompletionRequest, type ChatTextPart, messageTextParts } from '@aigw/llm-api';
import { z } from 'zod';

/** Roles whose messages are supplied context rather than the user's ask. */
const groundingRoles = new Set(['system', 'developer', 'tool', 'function']);

const suppliedContextSchema = z.union([z.string(), z.array(z.string())]);

/**
 * Takes the caller's `context` field (a string or strings to ground the answer in) off the
 * request, so providers never see a field they do not know. Malformed values are left alone.
 */
export function takeSuppliedContext(request: ChatCompletionRequest): ChatTextPart[] {
  const parsed = suppliedContextSchema.safeParse(request['context']);
  if (!parsed.success) return [];
  delete request['context'];
  const texts = typeof parsed.data === 'string' ? [parsed.data] : parsed.data;
  return texts.map((text, index) => ({ path: `context.${index}`, text }));
}

/** What an answer should be grounded in: system messages and tool results. */
export function groundingMessageParts(request: ChatCompletionRequest): ChatTextPart[] {
  return request.messages.flatMap((message, index) =>
    groundingRoles.has(message.role) ? messageTextParts(`messages.${index}`, message) : [],
  );
}
