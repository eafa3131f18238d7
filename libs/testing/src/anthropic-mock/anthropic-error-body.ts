/** Anthropic's error JSON: `{"type":"error","error":{"type","message"}}`. */
export interface AnthropicMockErrorBody {
  readonly type: 'error';
  readonly error: { readonly type: string; readonly message: string };
}

export function anthropicMockErrorBody(type: string, message: string): AnthropicMockErrorBody {
  return { type: 'error', error: { type, message } };
}

/** The error a scripted `status` fault answers with, typed as Anthropic does for that status. */
export function anthropicErrorForStatus(status: number, message?: string): AnthropicMockErrorBody {
  switch (status) {
    case 400:
      return anthropicMockErrorBody('invalid_request_error', message ?? 'Invalid request (mock).');
    case 401:
      return anthropicMockErrorBody('authentication_error', message ?? 'invalid x-api-key');
    case 403:
      return anthropicMockErrorBody(
        'permission_error',
        message ?? 'Your API key does not have permission to use the specified resource.',
      );
    case 404:
      return anthropicMockErrorBody(
        'not_found_error',
        message ?? 'The requested resource could not be found.',
      );
    case 413:
      return anthropicMockErrorBody(
        'request_too_large',
        message ?? 'Request exceeds the maximum allowed number of bytes.',
      );
    case 429:
      return anthropicMockErrorBody(
        'rate_limit_error',
        message ?? 'Number of request tokens has exceeded your per-minute rate limit (mock).',
      );
    case 529:
      return anthropicMockErrorBody('overloaded_error', message ?? 'Overloaded');
    default:
      return status >= 500
        ? anthropicMockErrorBody('api_error', message ?? 'Internal server error')
        : anthropicMockErrorBody(
            'invalid_request_error',
            message ?? `Request failed with status ${status} (mock).`,
          );
  }
}
