import { type IncomingHttpHeaders } from 'node:http';

/** Where the load goes: one origin and the exact request every call sends. */
export interface ChatTarget {
  readonly name: string;
  readonly origin: string;
  /** The path every request of this target goes to, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** For a streamed answer: text its body must end with, or the request counts as failed. */
  readonly streamEnd?: string;
}

/** Carries an email, so the gateway's PII masker has something to replace. */
export const benchEmail = 'jane.doe@example.com';
const userMessage = `Please send the weekly summary to ${benchEmail} before noon.`;

/** The OpenAI chat completions path. */
export const chatPath = '/v1/chat/completions';
/** The Anthropic Messages path, which aigw translates to and from OpenAI chat. */
export const messagesPath = '/v1/messages';

/** A small chat completion, the same for every target except for `model`; SSE with `stream`. */
export function chatTarget(
  name: string,
  origin: string,
  model: string,
  apiKey: string,
  options: { readonly stream?: boolean } = {},
): ChatTarget {
  const stream = options.stream === true;
  return {
    name,
    origin,
    path: chatPath,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({
      model,
      messages: [{ role: 'user', content: userMessage }],
      ...(stream ? { stream: true } : {}),
    }),
    ...(stream ? { streamEnd: 'data: [DONE]\n\n' } : {}),
  };
}

/** The same message as an Anthropic Messages request (JSON answer), as Claude Code sends it. */
export function messagesTarget(
  name: string,
  origin: string,
  model: string,
  apiKey: string,
): ChatTarget {
  return {
    name,
    origin,
    path: messagesPath,
    headers: {
      'content-type': 'application/json',
      'x-api-key': apiKey,
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify({
      model,
      max_tokens: 256,
      messages: [{ role: 'user', content: userMessage }],
    }),
  };
}
