import { type ChatCompletion } from '../openai/chat-completion.schema';
import { type AnthropicMessage, type AnthropicResponseBlock } from './anthropic-message.schema';
import { anthropicUsageOfOpenAi } from './anthropic-usage-mapping';
import { stopReasonOfFinishReason } from './stop-reason-mapping';

/**
 * Translates an OpenAI `chat.completion` into an Anthropic message: the content becomes a text
 * block, each tool call a `tool_use` block (arguments parsed as JSON), the finish reason the
 * stop reason. Only the first choice is read (Anthropic has no `n`).
 */
export function openAiToAnthropicMessage(completion: ChatCompletion): AnthropicMessage {
  const choice = completion.choices[0];
  const content: AnthropicResponseBlock[] = [];
  const text = choice?.message.content ?? choice?.message.refusal ?? '';
  if (text !== '') content.push({ type: 'text', text });
  for (const call of choice?.message.tool_calls ?? []) {
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseToolInput(call.function.arguments),
    });
  }
  return {
    id: anthropicMessageId(completion.id),
    type: 'message',
    role: 'assistant',
    model: completion.model,
    content,
    stop_reason: stopReasonOfFinishReason(choice?.finish_reason),
    stop_sequence: null,
    usage: anthropicUsageOfOpenAi(completion.usage),
  };
}

/** Anthropic ids start with `msg_`; an OpenAI id is kept, prefixed. */
export function anthropicMessageId(openAiId: string): string {
  return openAiId.startsWith('msg_') ? openAiId : `msg_${openAiId}`;
}

/** Tool arguments as an object; text that is not a JSON object is wrapped, never lost. */
export function parseToolInput(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : { value };
  } catch {
    return { arguments: text };
  }
}
