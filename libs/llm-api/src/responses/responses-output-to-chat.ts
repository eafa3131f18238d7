import { type ChatMessage } from '../openai/chat-completion-request.schema';
import { type ResponsesOutputItem } from './responses-response.types';

/**
 * The assistant chat message a response's output stands for (its text and function calls),
 * so a later request with `previous_response_id` continues the same conversation.
 */
export function assistantMessageOfOutput(output: readonly ResponsesOutputItem[]): ChatMessage {
  const text = output
    .flatMap((item) => (item.type === 'message' ? item.content.map((part) => part.text) : []))
    .join('');
  const toolCalls = output.flatMap((item) =>
    item.type === 'function_call'
      ? [
          {
            id: item.call_id,
            type: 'function',
            function: { name: item.name, arguments: item.arguments },
          },
        ]
      : [],
  );
  return {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
}
