import { type IncomingHttpHeaders } from 'node:http';

/** Where the load goes: one origin and the exact request every call sends. */
export interface ChatTarget {
  readonly name: string;
  readonly origin: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Carries an email, so the gateway's PII masker has something to replace. */
export const benchEmail = 'jane.doe@example.com';
const userMessage = `Please send the weekly summary to ${benchEmail} before noon.`;

/** A small non-streaming chat completion, the same for both targets except for `model`. */
export function chatTarget(
  name: string,
  origin: string,
  model: string,
  apiKey: string,
): ChatTarget {
  return {
    name,
    origin,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: userMessage }] }),
  };
}

/** The path every benchmark request goes to. */
export const chatPath = '/v1/chat/completions';
