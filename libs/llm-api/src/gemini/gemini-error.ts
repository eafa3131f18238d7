import { type OpenAiErrorBody, openAiErrorBody } from '../openai/openai-error';
import { geminiErrorSchema, type GeminiError } from './gemini-response.schema';

/** Google's error from a body (`{"error":{code,message,status}}`), or undefined. */
export function geminiErrorOf(body: unknown): GeminiError | undefined {
  const parsed = geminiErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.error : undefined;
}

/**
 * A Google error as OpenAI error JSON: the message kept, the canonical status (e.g.
 * `INVALID_ARGUMENT`) as the code.
 */
export function openAiErrorOfGemini(error: GeminiError): OpenAiErrorBody {
  const type =
    error.status === 'UNAUTHENTICATED' || error.status === 'PERMISSION_DENIED'
      ? 'authentication_error'
      : 'invalid_request_error';
  return openAiErrorBody(error.message, type, error.status ?? null);
}
