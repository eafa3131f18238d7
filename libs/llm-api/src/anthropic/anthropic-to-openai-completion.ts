import { type ChatCompletion, type ChatCompletionToolCall } from '../openai/chat-completion.schema';
import { type AnthropicMessage } from './anthropic-message.schema';
import { openAiUsageOfAnthropic } from './anthropic-usage-mapping';
import { finishReasonOfStopReason } from './stop-reason-mapping';

/**
 * Translates an Anthropic message into an OpenAI `chat.completion`: text blocks become the
 * content, `tool_use` blocks become `tool_calls`, thinking blocks are left out.
 */
export function anthropicToOpenAiCompletion(
  message: AnthropicMessage,
  created = Math.floor(Date.now() / 1000),
): ChatCompletion {
  let text = '';
  let hasText = false;
  const toolCalls: ChatCompletionToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text' && typeof block['text'] === 'string') {
      text += block['text'];
      hasText = true;
    } else if (block.type === 'tool_use' && typeof block['id'] === 'string') {
      toolCalls.push({
        id: block['id'],
        type: 'function',
        function: {
          name: String(block['name']),
          arguments: JSON.stringify(block['input'] ?? {}),
        },
      });
    }
  }
  const assistant: ChatCompletion['choices'][number]['message'] = {
    role: 'assistant',
    content: hasText || toolCalls.length === 0 ? text : null,
    refusal: null,
  };
  if (toolCalls.length > 0) assistant.tool_calls = toolCalls;
  return {
    id: message.id,
    object: 'chat.completion',
    created,
    model: message.model,
    choices: [
      {
        index: 0,
        message: assistant,
        logprobs: null,
        finish_reason: finishReasonOfStopReason(message.stop_reason),
      },
    ],
    usage: openAiUsageOfAnthropic(message.usage),
  };
}
