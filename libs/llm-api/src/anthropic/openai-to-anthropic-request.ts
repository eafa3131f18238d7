import {
  type ChatCompletionRequest,
  type ChatMessage,
} from '../openai/chat-completion-request.schema';
import {
  chatFunctionToolSchema,
  chatImagePartSchema,
  chatRequestToolCallsSchema,
  chatToolChoiceSchema,
} from '../openai/chat-message-fields.schema';
import {
  type AnthropicMessagesRequest,
  type AnthropicRequestBlock,
  type AnthropicRequestMessage,
  type AnthropicTool,
  type AnthropicToolChoice,
} from './anthropic-request.schema';

/** Anthropic requires `max_tokens`; OpenAI does not. Used when the request sets no limit. */
export const defaultAnthropicMaxTokens = 4096;

const dataUrl = /^data:([^;,]+);base64,(.*)$/s;

/**
 * Translates an OpenAI chat completions request into an Anthropic Messages request: system and
 * developer messages become `system`, tool calls become `tool_use` blocks, tool results become
 * `tool_result` blocks in a user turn, consecutive turns of one role are merged (Anthropic
 * requires alternating roles), and fields Anthropic does not know are dropped.
 */
export function openAiToAnthropicRequest(request: ChatCompletionRequest): AnthropicMessagesRequest {
  const system: string[] = [];
  const messages: AnthropicRequestMessage[] = [];
  for (const message of request.messages) {
    if (message.role === 'system' || message.role === 'developer') {
      const text = textOf(message.content);
      if (text !== '') system.push(text);
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    appendTurn(messages, role, blocksOf(message));
  }
  const translated: AnthropicMessagesRequest = {
    model: request.model,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? defaultAnthropicMaxTokens,
    messages,
  };
  if (system.length > 0) translated.system = system.join('\n\n');
  if (request.stream === true) translated.stream = true;
  const stop = stopSequencesOf(request['stop']);
  if (stop) translated.stop_sequences = stop;
  // OpenAI's temperature runs 0-2, Anthropic's 0-1.
  if (typeof request['temperature'] === 'number')
    translated.temperature = Math.min(1, Math.max(0, request['temperature']));
  if (typeof request['top_p'] === 'number') translated.top_p = request['top_p'];
  if (typeof request['user'] === 'string') translated.metadata = { user_id: request['user'] };
  const tools = toolsOf(request['tools']);
  if (tools.length > 0) {
    translated.tools = tools;
    const choice = toolChoiceOf(request['tool_choice'], request['parallel_tool_calls']);
    if (choice) translated.tool_choice = choice;
  }
  return translated;
}

function blocksOf(message: ChatMessage): AnthropicRequestBlock[] {
  if (message.role === 'tool' || message.role === 'function') {
    const callId = message['tool_call_id'];
    const id = typeof callId === 'string' ? callId : (message.name ?? '');
    return [{ type: 'tool_result', tool_use_id: id, content: textOf(message.content) }];
  }
  const blocks: AnthropicRequestBlock[] = [];
  const content = message.content;
  if (typeof content === 'string') {
    if (content !== '') blocks.push({ type: 'text', text: content });
  } else if (Array.isArray(content)) {
    for (const part of content) {
      if (typeof part.text === 'string') {
        if (part.text !== '') blocks.push({ type: 'text', text: part.text });
        continue;
      }
      const image = chatImagePartSchema.safeParse(part);
      if (image.success) blocks.push(imageBlockOf(image.data.image_url));
    }
  }
  if (message.role === 'assistant') {
    const calls = chatRequestToolCallsSchema.safeParse(message['tool_calls']);
    for (const call of calls.success ? calls.data : []) {
      blocks.push({
        type: 'tool_use',
        id: call.id,
        name: call.function.name,
        input: parseArguments(call.function.arguments),
      });
    }
  }
  return blocks;
}

function imageBlockOf(imageUrl: string | { url: string }): AnthropicRequestBlock {
  const url = typeof imageUrl === 'string' ? imageUrl : imageUrl.url;
  const match = dataUrl.exec(url);
  if (match) {
    return {
      type: 'image',
      source: { type: 'base64', media_type: match[1] ?? '', data: match[2] ?? '' },
    };
  }
  return { type: 'image', source: { type: 'url', url } };
}

/** Adds blocks as a turn, merging into the previous turn when it has the same role. */
function appendTurn(
  messages: AnthropicRequestMessage[],
  role: 'user' | 'assistant',
  blocks: AnthropicRequestBlock[],
): void {
  if (blocks.length === 0) return;
  const previous = messages.at(-1);
  if (previous?.role === role && Array.isArray(previous.content)) {
    previous.content.push(...blocks);
    return;
  }
  messages.push({ role, content: blocks });
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => part.text)
    .filter((text): text is string => typeof text === 'string')
    .join('\n');
}

function parseArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Anthropic wants an object; keep what the model produced rather than lose it.
    return { arguments: text };
  }
}

function stopSequencesOf(stop: unknown): string[] | undefined {
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop) && stop.every((item) => typeof item === 'string'))
    return stop.length > 0 ? stop : undefined;
  return undefined;
}

function toolsOf(tools: unknown): AnthropicTool[] {
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((tool) => {
    const parsed = chatFunctionToolSchema.safeParse(tool);
    if (!parsed.success) return [];
    const { name, description, parameters } = parsed.data.function;
    const translated: AnthropicTool = {
      name,
      input_schema: parameters ?? { type: 'object', properties: {} },
    };
    if (description !== undefined) translated.description = description;
    return [translated];
  });
}

function toolChoiceOf(choice: unknown, parallel: unknown): AnthropicToolChoice | undefined {
  const parsed = chatToolChoiceSchema.safeParse(choice);
  const disableParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (!parsed.success) return parallel === false ? { type: 'auto', ...disableParallel } : undefined;
  const value = parsed.data;
  if (value === 'none') return { type: 'none' };
  if (value === 'auto') return { type: 'auto', ...disableParallel };
  if (value === 'required') return { type: 'any', ...disableParallel };
  return { type: 'tool', name: value.function.name, ...disableParallel };
}
