import { openAiErrorBody } from '@aigw/llm-api';
import { ProviderError, type ProviderErrorClass } from '../provider-error';

/**
 * An Anthropic error body (`{"type":"error","error":{type,message}}`) as OpenAI error JSON, the
 * format the router hands on; undefined when the body is not Anthropic's error shape.
 */
export function openAiErrorOfAnthropic(body: Buffer): Buffer | undefined {
  const error = anthropicErrorOf(body);
  if (!error) return undefined;
  return Buffer.from(JSON.stringify(openAiErrorBody(error.message, error.type, error.type)));
}

/** The ProviderError for an `error` event inside a stream (e.g. overloaded mid-answer). */
export function providerErrorOfStreamEvent(error: {
  type: string;
  message: string;
}): ProviderError {
  return new ProviderError(
    errorClassOfAnthropicType(error.type),
    `provider stream failed: ${error.type}`,
    error.type === 'overloaded_error' ? 529 : 200,
  );
}

function errorClassOfAnthropicType(type: string): ProviderErrorClass {
  switch (type) {
    case 'rate_limit_error':
      return 'rate_limited';
    case 'overloaded_error':
    case 'api_error':
      return 'upstream_5xx';
    default:
      return 'client_4xx';
  }
}

function anthropicErrorOf(body: Buffer): { type: string; message: string } | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      type?: unknown;
      error?: { type?: unknown; message?: unknown };
    };
    const { type, message } = parsed.error ?? {};
    if (parsed.type === 'error' && typeof type === 'string' && typeof message === 'string') {
      return { type, message };
    }
  } catch {
    // Not JSON: the caller keeps the body as it is.
  }
  return undefined;
}
