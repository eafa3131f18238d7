import { type ChatCompletionRequest } from './chat-completion-request.schema';
import { argumentStrings, replaceArgumentStrings } from './tool-call-arguments';

/** One guardable text in a request or response, addressed by its JSON path. */
export interface ChatTextPart {
  readonly path: string;
  readonly text: string;
}

/**
 * The guardable fields of a chat message (request message or response `choices[].message`).
 * Tool calls are read leniently: the request schema passes them through as unknown fields.
 */
export interface GuardableMessage {
  content?: string | readonly { text?: string }[] | null;
  readonly [field: string]: unknown;
}

/** A function call found in a message, by reference, so masked arguments can be written back. */
interface FunctionCallRef {
  readonly path: string;
  readonly call: { arguments: string };
}

// Tool-call arguments are JSON inside a string; the part inside it is addressed after "#"
// by JSON pointer: "messages.2.tool_calls.0.function.arguments#/to".
const pointerMark = '#';

/** Every text of one message: contents, text content parts and tool-call arguments. */
export function messageTextParts(prefix: string, message: GuardableMessage): ChatTextPart[] {
  const parts: ChatTextPart[] = [];
  const content = message.content;
  if (typeof content === 'string') {
    parts.push({ path: `${prefix}.content`, text: content });
  } else if (content) {
    content.forEach((part, partIndex) => {
      if (typeof part.text === 'string') {
        parts.push({ path: `${prefix}.content.${partIndex}.text`, text: part.text });
      }
    });
  }
  for (const { path, call } of functionCallsOf(message, prefix)) {
    for (const { pointer, text } of argumentStrings(call.arguments)) {
      parts.push({ path: `${path}${pointerMark}${pointer}`, text });
    }
  }
  return parts;
}

/** Writes replacement texts back into one message, at paths relative to its prefix. */
export function applyMessageTextParts(
  message: GuardableMessage,
  replacements: readonly { readonly relativePath: string; readonly text: string }[],
): void {
  const argumentEdits = new Map<string, { pointer: string; text: string }[]>();
  for (const { relativePath, text } of replacements) {
    const [fieldPath = '', pointer] = relativePath.split(pointerMark, 2);
    if (pointer !== undefined) {
      const edits = argumentEdits.get(fieldPath) ?? [];
      edits.push({ pointer, text });
      argumentEdits.set(fieldPath, edits);
      continue;
    }
    const segments = fieldPath.split('.');
    if (segments.length === 1 && segments[0] === 'content') {
      message.content = text;
    } else if (segments[0] === 'content' && Array.isArray(message.content)) {
      const part = (message.content as { text?: string }[])[Number(segments[1])];
      if (part) part.text = text;
    }
  }
  if (argumentEdits.size === 0) return;
  for (const { path, call } of functionCallsOf(message)) {
    const edits = argumentEdits.get(path);
    if (edits) call.arguments = replaceArgumentStrings(call.arguments, edits);
  }
}

/** `tool_calls[].function` and the deprecated `function_call`, paths relative to the message. */
function functionCallsOf(message: GuardableMessage, prefix = ''): FunctionCallRef[] {
  const refs: FunctionCallRef[] = [];
  const at = (path: string) => (prefix ? `${prefix}.${path}` : path);
  const toolCalls = message['tool_calls'];
  if (Array.isArray(toolCalls)) {
    toolCalls.forEach((toolCall: unknown, index) => {
      const call = isObject(toolCall) ? toolCall['function'] : undefined;
      if (hasArguments(call))
        refs.push({ path: at(`tool_calls.${index}.function.arguments`), call });
    });
  }
  const legacy = message['function_call'];
  if (hasArguments(legacy)) refs.push({ path: at('function_call.arguments'), call: legacy });
  return refs;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

function hasArguments(value: unknown): value is { arguments: string } {
  return isObject(value) && typeof value['arguments'] === 'string';
}

/** Every text a guardrail must see in a request: contents, text parts, tool-call arguments. */
export function chatTextParts(request: ChatCompletionRequest): ChatTextPart[] {
  return request.messages.flatMap((message, index) =>
    messageTextParts(`messages.${index}`, message),
  );
}

/** Writes replacement texts back at their paths (as produced by chatTextParts). */
export function applyChatTextParts(
  request: ChatCompletionRequest,
  replacements: readonly ChatTextPart[],
): void {
  applyByMessage(replacements, /^messages\.(\d+)\.(.+)$/, (index) => request.messages[index]);
}

/** Groups replacements by the message their path points into, then applies each group. */
export function applyByMessage(
  replacements: readonly ChatTextPart[],
  pattern: RegExp,
  messageAt: (index: number) => GuardableMessage | undefined,
): void {
  const byMessage = new Map<number, { relativePath: string; text: string }[]>();
  for (const { path, text } of replacements) {
    const match = pattern.exec(path);
    if (!match) continue;
    const index = Number(match[1]);
    const list = byMessage.get(index) ?? [];
    list.push({ relativePath: match[2]!, text });
    byMessage.set(index, list);
  }
  for (const [index, list] of byMessage) {
    const message = messageAt(index);
    if (message) applyMessageTextParts(message, list);
  }
}
