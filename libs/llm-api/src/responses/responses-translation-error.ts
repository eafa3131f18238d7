/**
 * A Responses API request the gateway cannot translate to a chat request (an input item or
 * tool choice it cannot honour); `param` is the path of the offending field. The ingress
 * answers it as a 400 in OpenAI error format.
 */
export class ResponsesTranslationError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
    this.name = 'ResponsesTranslationError';
  }
}
