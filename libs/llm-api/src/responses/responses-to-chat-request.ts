import { type z } from 'zod';
import {
  type ChatCompletionRequest,
  type ChatMessage,
} from '../openai/chat-completion-request.schema';
import {
  type ResponsesContentPart,
  responsesFunctionCallItemSchema,
  responsesFunctionCallOutputItemSchema,
  type ResponsesInputItem,
  responsesMessageItemSchema,
  type ResponsesRequest,
  type ResponsesTool,
} from './responses-request.schema';
import { ResponsesTranslationError } from './responses-translation-error';

type ContentPart = Exclude<ChatMessage['content'], string | null | undefined>[number];
type ToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };

// Items that only OpenAI's own runtime produces or can replay (reasoning traces, hosted tool
// calls): a provider behind the gateway cannot use them, so they are left out of the history.
const skippedItemTypes = new Set([
  'reasoning',
  'web_search_call',
  'file_search_call',
  'code_interpreter_call',
  'image_generation_call',
  'compaction',
]);

/**
 * Translates a Responses API request into an OpenAI chat completions request: `instructions`
 * becomes the first system message, input messages become chat messages, `function_call`
 * items assistant `tool_calls`, `function_call_output` items `tool` messages. Function tools
 * are translated; other tool types (web_search, file_search, namespace, custom…) run only on
 * OpenAI's hosted runtime and are left out (see {@link droppedToolTypes}); a `tool_choice`
 * forcing one of them is refused. A streamed request asks for usage.
 */
export function responsesToChatRequest(request: ResponsesRequest): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  if (request.instructions) messages.push({ role: 'system', content: request.instructions });
  messages.push(...inputMessages(request.input));
  const translated: ChatCompletionRequest = { model: request.model, messages };
  if (request.max_output_tokens != null) {
    translated.max_completion_tokens = request.max_output_tokens;
  }
  if (request.stream === true) {
    translated.stream = true;
    translated.stream_options = { include_usage: true };
  }
  if (request.temperature != null) translated['temperature'] = request.temperature;
  if (request.top_p != null) translated['top_p'] = request.top_p;
  if (request.user != null) translated['user'] = request.user;
  if (request.reasoning?.effort) translated['reasoning_effort'] = request.reasoning.effort;
  const responseFormat = responseFormatOf(request.text?.format);
  if (responseFormat) translated['response_format'] = responseFormat;
  const tools = (request.tools ?? []).flatMap((tool) =>
    tool.type === 'namespace' ? namespaceToolsOf(tool) : functionToolOf(tool),
  );
  if (tools.length > 0) {
    translated['tools'] = tools;
    if (request.parallel_tool_calls != null) {
      translated['parallel_tool_calls'] = request.parallel_tool_calls;
    }
  }
  const toolChoice = toolChoiceOf(request.tool_choice, tools.length > 0);
  if (toolChoice !== undefined) translated['tool_choice'] = toolChoice;
  return translated;
}

/** The chat messages of a Responses `input` (a string is one user message). */
export function inputMessages(input: ResponsesRequest['input']): ChatMessage[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const messages: ChatMessage[] = [];
  input.forEach((item, index) => appendItem(messages, item, `input.${index}`));
  return messages;
}

/** A tool of a `namespace` tool, as the chat tool the provider sees it: `<namespace>__<name>`. */
export interface NamespacedTool {
  readonly namespace: string;
  readonly name: string;
}

const namespaceSeparator = '__';

/** The chat function name of a tool inside a namespace (Codex groups MCP tools this way). */
export function namespacedToolName(namespace: string, name: string): string {
  return `${namespace}${namespaceSeparator}${name}`;
}

/** Chat function name → namespace and tool name, for every namespaced tool of a request. */
export function namespacedTools(
  tools: readonly ResponsesTool[] | null | undefined,
): Map<string, NamespacedTool> {
  const names = new Map<string, NamespacedTool>();
  for (const tool of tools ?? []) {
    if (tool.type !== 'namespace' || typeof tool['name'] !== 'string') continue;
    const namespace = tool['name'];
    for (const nested of nestedFunctionTools(tool)) {
      names.set(namespacedToolName(namespace, nested.name), { namespace, name: nested.name });
    }
  }
  return names;
}

function nestedFunctionTools(tool: ResponsesTool): (ResponsesTool & { name: string })[] {
  const nested = tool['tools'];
  if (!Array.isArray(nested)) return [];
  return (nested as ResponsesTool[]).filter(
    (candidate): candidate is ResponsesTool & { name: string } =>
      candidate.type === 'function' && typeof candidate['name'] === 'string',
  );
}

/** A namespace's function tools, each as a chat tool named `<namespace>__<name>`. */
function namespaceToolsOf(tool: ResponsesTool): Record<string, unknown>[] {
  const namespace = tool['name'];
  if (typeof namespace !== 'string') return [];
  return nestedFunctionTools(tool).flatMap((nested) =>
    functionToolOf({ ...nested, name: namespacedToolName(namespace, nested.name) }),
  );
}

/** The tool types of a request that the translation leaves out, for a caller to report. */
export function droppedToolTypes(tools: readonly ResponsesTool[] | null | undefined): string[] {
  return [
    ...new Set(
      (tools ?? [])
        .filter((tool) => tool.type !== 'function' && tool.type !== 'namespace')
        .map((tool) => tool.type),
    ),
  ];
}

function appendItem(messages: ChatMessage[], item: ResponsesInputItem, path: string): void {
  const type = typeof item.type === 'string' ? item.type : 'message';
  if (type === 'message') {
    const message = parseItem(responsesMessageItemSchema, item, path);
    messages.push(messageOf(message.role, message.content, path));
    return;
  }
  if (type === 'function_call') {
    const functionCall = parseItem(responsesFunctionCallItemSchema, item, path);
    const namespace = functionCall['namespace'];
    const name =
      typeof namespace === 'string' && namespace !== ''
        ? namespacedToolName(namespace, functionCall.name)
        : functionCall.name;
    const call: ToolCall = {
      id: functionCall.call_id,
      type: 'function',
      function: { name, arguments: functionCall.arguments },
    };
    const last = messages.at(-1);
    // Parallel calls of one turn (and the text before them) are one assistant message.
    if (last?.role === 'assistant') {
      last.tool_calls = [...((last.tool_calls as ToolCall[] | null | undefined) ?? []), call];
    } else {
      messages.push({ role: 'assistant', content: null, tool_calls: [call] });
    }
    return;
  }
  if (type === 'function_call_output') {
    const result = parseItem(responsesFunctionCallOutputItemSchema, item, path);
    messages.push({
      role: 'tool',
      tool_call_id: result.call_id,
      content: typeof result.output === 'string' ? result.output : textOf(result.output),
    });
    return;
  }
  if (skippedItemTypes.has(type)) return;
  throw new ResponsesTranslationError(
    `Input items of type "${type}" are not supported by this gateway.`,
    `${path}.type`,
  );
}

function parseItem<Schema extends z.ZodType>(
  schema: Schema,
  item: ResponsesInputItem,
  path: string,
): z.infer<Schema> {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ResponsesTranslationError(
    issue?.message ?? 'invalid input item',
    [path, ...(issue?.path ?? [])].join('.'),
  );
}

function messageOf(
  role: 'user' | 'assistant' | 'system' | 'developer',
  content: string | ResponsesContentPart[],
  path: string,
): ChatMessage {
  if (typeof content === 'string') return { role, content };
  if (role !== 'user') return { role, content: textOf(content) };
  const parts = content.map((part, index) => userPartOf(part, `${path}.content.${index}`));
  if (parts.length === 1 && parts[0]?.type === 'text') return { role, content: parts[0].text };
  return { role, content: parts };
}

function userPartOf(part: ResponsesContentPart, path: string): ContentPart {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: part.text ?? '' };
    case 'input_image':
      if (typeof part.image_url === 'string' && part.image_url !== '') {
        return {
          type: 'image_url',
          image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) },
        };
      }
      throw new ResponsesTranslationError(
        'Images must be sent as image_url (a URL or data URL); file_id is not supported.',
        `${path}.image_url`,
      );
    default:
      throw new ResponsesTranslationError(
        `Content parts of type "${part.type}" are not supported by this gateway.`,
        `${path}.type`,
      );
  }
}

/** The text of content parts (assistant and system content, tool outputs). */
function textOf(parts: readonly ResponsesContentPart[]): string {
  return parts
    .map((part) => part.text ?? part.refusal ?? '')
    .filter((text) => text !== '')
    .join('\n');
}

function functionToolOf(tool: ResponsesTool): Record<string, unknown>[] {
  if (tool.type !== 'function' || typeof tool['name'] !== 'string') return [];
  const description = tool['description'];
  const parameters = tool['parameters'];
  const strict = tool['strict'];
  return [
    {
      type: 'function',
      function: {
        name: tool['name'],
        ...(typeof description === 'string' ? { description } : {}),
        ...(parameters && typeof parameters === 'object' ? { parameters } : {}),
        ...(typeof strict === 'boolean' ? { strict } : {}),
      },
    },
  ];
}

function toolChoiceOf(
  choice: ResponsesRequest['tool_choice'],
  hasTools: boolean,
): ChatCompletionRequest[string] {
  if (choice == null) return undefined;
  if (typeof choice === 'string') return hasTools ? choice : undefined;
  if (choice.type === 'function' && typeof choice.name === 'string') {
    return { type: 'function', function: { name: choice.name } };
  }
  throw new ResponsesTranslationError(
    `tool_choice of type "${choice.type}" is not supported by this gateway: only function tools are.`,
    'tool_choice',
  );
}

function responseFormatOf(
  format: NonNullable<ResponsesRequest['text']>['format'],
): Record<string, unknown> | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'json_schema') {
    return {
      type: 'json_schema',
      json_schema: {
        name: format.name ?? 'response',
        ...(format.schema ? { schema: format.schema } : {}),
        ...(format.strict != null ? { strict: format.strict } : {}),
        ...(format.description ? { description: format.description } : {}),
      },
    };
  }
  throw new ResponsesTranslationError(
    `text.format of type "${format.type}" is not supported.`,
    'text.format.type',
  );
}
