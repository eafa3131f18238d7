import { GatewayError, GatewayErrorCode } from '@aigw/core';
import {
  type ChatCompletionRequest,
  type ResponsesRequest,
  responsesRequestSchema,
  responsesToChatRequest,
  ResponsesTranslationError,
} from '@aigw/llm-api';
import { parseBody } from '../pipeline/governed-body';

/** A `POST /v1/responses` body, validated, and the chat request the pipeline governs. */
export interface ResponsesBody {
  readonly request: ResponsesRequest;
  readonly chat: ChatCompletionRequest;
}

/** Reads and translates a Responses API body; problems are GatewayErrors naming the field. */
export function readResponsesBody(body: unknown): ResponsesBody {
  const request = parseBody(responsesRequestSchema, body);
  const noInput =
    request.input === undefined || (Array.isArray(request.input) && request.input.length === 0);
  if (noInput && !request.previous_response_id) {
    throw new GatewayError(
      GatewayErrorCode.InvalidRequest,
      'input: Required unless previous_response_id is set.',
      { param: 'input' },
    );
  }
  try {
    return { request, chat: responsesToChatRequest(request) };
  } catch (error) {
    if (!(error instanceof ResponsesTranslationError)) throw error;
    throw new GatewayError(GatewayErrorCode.InvalidRequest, error.message, {
      param: error.param,
    });
  }
}

/** How many leading messages of a translated request are its `instructions`. */
export function instructionMessages(request: ResponsesRequest): number {
  return request.instructions ? 1 : 0;
}
