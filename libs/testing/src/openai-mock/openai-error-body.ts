/** OpenAI's error JSON: `{"error":{"message","type","param","code"}}`. */
export interface OpenAiErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string | null;
  };
}

/** Builds an OpenAI error body. */
export function openAiErrorBody(
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}

/**
 * The error a scripted `status` fault answers with, shaped like OpenAI's own for that status
 * (a 429 is a requests-per-minute rate limit with `code: "rate_limit_exceeded"`).
 */
export function errorBodyForStatus(
  status: number,
  message?: string,
  retryAfterSeconds?: number,
): OpenAiErrorBody {
  switch (status) {
    case 400:
      return openAiErrorBody(message ?? 'Invalid request (mock).', 'invalid_request_error');
    case 401:
      return openAiErrorBody(
        message ?? 'Incorrect API key provided.',
        'invalid_request_error',
        null,
        'invalid_api_key',
      );
    case 403:
      return openAiErrorBody(
        message ?? 'You are not allowed to sample from this model.',
        'invalid_request_error',
      );
    case 404:
      return openAiErrorBody(
        message ?? 'The model does not exist or you do not have access to it.',
        'invalid_request_error',
        'model',
        'model_not_found',
      );
    case 429: {
      const wait =
        retryAfterSeconds === undefined ? '' : ` Please try again in ${retryAfterSeconds}s.`;
      return openAiErrorBody(
        message ?? `Rate limit reached for requests (mock).${wait}`,
        'requests',
        null,
        'rate_limit_exceeded',
      );
    }
    case 503:
      return openAiErrorBody(
        message ?? 'The server is overloaded or not ready yet.',
        'server_error',
      );
    default:
      return status >= 500
        ? openAiErrorBody(
            message ?? 'The server had an error while processing your request. Sorry about that!',
            'server_error',
          )
        : openAiErrorBody(
            message ?? `Request failed with status ${status} (mock).`,
            'invalid_request_error',
          );
  }
}
