import { geminiErrorOf, openAiErrorOfGemini } from '@aigw/llm-api';
import { errorClassOfStatus, ProviderError } from '../provider-error';

/**
 * A Google error body (`{"error":{code,message,status}}`) as OpenAI error JSON, the format the
 * router hands on; undefined when the body is not Google's error shape.
 */
export function openAiErrorOfGeminiBody(body: Buffer): Buffer | undefined {
  const error = geminiErrorOf(parseJson(body.toString('utf8')));
  return error ? Buffer.from(JSON.stringify(openAiErrorOfGemini(error))) : undefined;
}

/**
 * How long Google asked to wait, in ms: a 429 carries no `Retry-After` header but a
 * `google.rpc.RetryInfo` detail with `retryDelay` such as `"30s"` or `"1.5s"`.
 */
export function retryDelayOfGeminiBody(body: Buffer): number | undefined {
  const parsed = parseJson(body.toString('utf8')) as
    { error?: { details?: Array<{ retryDelay?: unknown }> } } | undefined;
  for (const detail of parsed?.error?.details ?? []) {
    const match =
      typeof detail.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay) : null;
    if (match) return Math.ceil(Number(match[1]) * 1000);
  }
  return undefined;
}

/** The ProviderError for an error object sent as an event of a stream. */
export function providerErrorOfGeminiEvent(event: unknown): ProviderError | undefined {
  const error = geminiErrorOf(event);
  if (!error) return undefined;
  const status = error.code ?? 500;
  return new ProviderError(
    errorClassOfStatus(status),
    `provider stream failed: ${error.status ?? status}`,
    status,
  );
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
