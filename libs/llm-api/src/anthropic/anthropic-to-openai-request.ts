import {
  type ChatCompletionRequest,
  type ChatMessage,
} from '../openai/chat-completion-request.schema';
import {
  type AnthropicMessagesRequest,
  type AnthropicRequestBlock,
  type AnthropicRequestMessage,
  type AnthropicToolChoice,
} from './anthropic-request.schema';

type ContentPart = Exclude<ChatMessage['content'], string | null | undefined>[number];

/**
 * Translates an Anthropic Messages request into an OpenAI chat completions request: `system`
 * becomes a system message, `tool_use` blocks become assistant `tool_calls`, `tool_result`
 * blocks become `tool` messages, images become `image_url` parts (data URLs for base64).
 * Thinking, documents and server tools have no OpenAI equivalent and are left out.
 * A streamed request asks for usage, so the answer can report it in `message_delta`.
 */
export function anthropicToOpenAiRequest(request: AnthropicMessagesRequest): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  const system = systemTextOf(request.system);
  if (system !== '') messages.push({ role: 'system', content: system });
  for (const message of request.messages) messages.push(...translateMessage(message));
  const translated: ChatCompletionRequest = {
    model: request.model,
    messages,
    max_tokens: request.max_tokens,
  };
  if (request.stream === true) {
    translated.stream = true;
    translated.stream_options = { include_usage: true };
  }
  if (request.stop_sequences && request.stop_sequences.length > 0)
    translated['stop'] = request.stop_sequences;
  if (request.temperature !== undefined) translated['temperature'] = request.temperature;
  if (request.top_p !== undefined) translated['top_p'] = request.top_p;
  if (typeof request.metadata?.user_id === 'string') translated['user'] = request.metadata.user_id;
  const tools = (request.tools ?? []).flatMap((tool) =>
    tool.input_schema
      ? [
          {
            type: 'function',
            function: {
              name: tool.name,
              ...(tool.description !== undefined ? { description: tool.description } : {}),
              parameters: tool.input_schema,
            },
          },
        ]
      : [],
  );
  if (tools.length > 0) {
    translated['tools'] = tools;
    applyToolChoice(translated, request.tool_choice);
  }
  return translated;
}

function systemTextOf(system: AnthropicMessagesRequest['system']): string {
  if (system === undefined) return '';
  if (typeof system === 'string') return system;
  return system.map((block) => block.text).join('\n\n');
}

function translateMessage(message: AnthropicRequestMessage): ChatMessage[] {
  if (typeof message.content === 'string') {
    return [{ role: message.role, content: message.content }];
  }
  if (message.role === 'assistant') return [assistantMessage(message.content)];
  if (message.role === 'system') {
    const text = message.content
      .map((block) => (typeof block['text'] === 'string' ? block['text'] : ''))
      .join('\n\n');
    return [{ role: 'system', content: text }];
  }
  // Tool results answer the previous assistant turn, so they come before the user's own text.
  const toolMessages: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  for (const block of message.content) {
    if (block.type === 'tool_result') {
      toolMessages.push({
        role: 'tool',
        tool_call_id: String(block['tool_use_id']),
        content: toolResultText(block['content']),
      });
      continue;
    }
    const part = partOf(block);
    if (part) parts.push(part);
  }
  if (parts.length > 0) toolMessages.push({ role: 'user', content: simplify(parts) });
  return toolMessages;
}

function assistantMessage(blocks: AnthropicRequestBlock[]): ChatMessage {
  let text = '';
  const toolCalls: NonNullable<ChatMessage['tool_calls']> = [];
  for (const block of blocks) {
    if (block.type === 'text' && typeof block['text'] === 'string') text += block['text'];
    if (block.type === 'tool_use') {
      toolCalls.push({
        id: String(block['id']),
        type: 'function',
        function: { name: String(block['name']), arguments: JSON.stringify(block['input'] ?? {}) },
      });
    }
  }
  const message: ChatMessage = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}

function partOf(block: AnthropicRequestBlock): ContentPart | undefined {
  if (block.type === 'text' && typeof block['text'] === 'string') {
    return { type: 'text', text: block['text'] };
  }
  if (block.type === 'image') {
    const url = imageUrlOf(block['source']);
    return url === undefined ? undefined : { type: 'image_url', image_url: { url } };
  }
  return undefined;
}

function imageUrlOf(source: unknown): string | undefined {
  if (source === null || typeof source !== 'object') return undefined;
  const { type, media_type: mediaType, data, url } = source as Record<string, unknown>;
  if (type === 'base64' && typeof mediaType === 'string' && typeof data === 'string') {
    return `data:${mediaType};base64,${data}`;
  }
  if (type === 'url' && typeof url === 'string') return url;
  return undefined;
}

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block: unknown) =>
      block !== null &&
      typeof block === 'object' &&
      'text' in block &&
      typeof block.text === 'string'
        ? block.text
        : '',
    )
    .filter((text) => text !== '')
    .join('\n');
}

/** A single text part reads best (and guards the same) as a plain string. */
function simplify(parts: ContentPart[]): ChatMessage['content'] {
  const only = parts[0];
  if (parts.length === 1 && only?.type === 'text' && typeof only.text === 'string')
    return only.text;
  return parts;
}

function applyToolChoice(
  request: ChatCompletionRequest,
  choice: AnthropicToolChoice | undefined,
): void {
  if (!choice) return;
  switch (choice.type) {
    case 'auto':
      request['tool_choice'] = 'auto';
      break;
    case 'any':
      request['tool_choice'] = 'required';
      break;
    case 'tool':
      request['tool_choice'] = { type: 'function', function: { name: choice['name'] } };
      break;
    case 'none':
      request['tool_choice'] = 'none';
      return;
  }
  if (choice['disable_parallel_tool_use'] === true) request['parallel_tool_calls'] = false;
}
