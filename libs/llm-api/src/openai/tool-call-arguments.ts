/** A string inside a tool call's JSON arguments, addressed by JSON pointer (`/to/0`). */
export interface ArgumentString {
  readonly pointer: string;
  readonly text: string;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * The strings a guardrail must see in tool-call arguments. Valid JSON is walked to its string
 * leaves (keys included only as context, never rewritten), so masking a value can never break
 * the JSON; arguments that are not JSON are one string at pointer "".
 */
export function argumentStrings(argumentsJson: string): ArgumentString[] {
  const parsed = parseJson(argumentsJson);
  if (parsed === undefined) return argumentsJson ? [{ pointer: '', text: argumentsJson }] : [];
  const strings: ArgumentString[] = [];
  walk(parsed, '', strings);
  return strings;
}

/** Rewrites the arguments with replacement strings at their pointers (from argumentStrings). */
export function replaceArgumentStrings(
  argumentsJson: string,
  replacements: readonly ArgumentString[],
): string {
  const whole = replacements.find((replacement) => replacement.pointer === '');
  const parsed = parseJson(argumentsJson);
  if (parsed === undefined || typeof parsed === 'string') return whole?.text ?? argumentsJson;
  let root: Json = parsed;
  for (const { pointer, text } of replacements) root = setAt(root, pointerSegments(pointer), text);
  return JSON.stringify(root);
}

function parseJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

function walk(node: Json, pointer: string, out: ArgumentString[]): void {
  if (typeof node === 'string') {
    out.push({ pointer, text: node });
  } else if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, `${pointer}/${index}`, out));
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node))
      walk(value, `${pointer}/${escapeKey(key)}`, out);
  }
}

function setAt(node: Json, segments: readonly string[], text: string): Json {
  if (segments.length === 0) return typeof node === 'string' ? text : node;
  const [head, ...rest] = segments as [string, ...string[]];
  if (Array.isArray(node)) {
    const index = Number(head);
    if (Number.isInteger(index) && index >= 0 && index < node.length) {
      node[index] = setAt(node[index]!, rest, text);
    }
  } else if (node !== null && typeof node === 'object' && Object.hasOwn(node, head)) {
    node[head] = setAt(node[head]!, rest, text);
  }
  return node;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function escapeKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
