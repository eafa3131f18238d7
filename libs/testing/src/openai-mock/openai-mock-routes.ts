import { type ChatContentOverride, decideChatAnswer, usageOf } from './chat-answer';
import { buildChatCompletion, buildChatCompletionChunks } from './chat-completion-builder';
import { serializeChunks } from './chunk-serializer';
import { buildEmbeddingResponse } from './embedding-builder';
import { type MockReply } from './mock-reply';
import { openAiErrorBody } from './openai-error-body';
import { type OpenAiMockPath } from './openai-mock.types';
import {
  chatRequestSchema,
  embeddingRequestSchema,
  type MockChatRequest,
  parseRequestBody,
  type RequestProblem,
} from './openai-request.schema';

/** A request the mock knows how to answer. */
export type MockRoute =
  | { readonly kind: 'chat'; readonly path: '/v1/chat/completions' }
  | { readonly kind: 'embeddings'; readonly path: '/v1/embeddings' }
  | { readonly kind: 'models'; readonly path: '/v1/models' }
  | { readonly kind: 'model'; readonly path: OpenAiMockPath; readonly modelId: string };

/** What the route answers depend on, fixed when the mock starts. */
export interface RouteSettings {
  readonly models: readonly string[];
  readonly embeddingDimensions: number;
  readonly defaultReply: (request: MockChatRequest) => string;
  /** A fresh number for completion and tool-call ids. */
  readonly nextSequence: () => number;
}

const modelsPrefix = '/v1/models/';
// A fixed creation time keeps the models list identical between runs.
const modelCreated = 1_700_000_000;

/** The route for a method and path, or undefined (answered 404 by the caller). */
export function resolveRoute(method: string | undefined, path: string): MockRoute | undefined {
  if (method === 'POST' && path === '/v1/chat/completions') return { kind: 'chat', path };
  if (method === 'POST' && path === '/v1/embeddings') return { kind: 'embeddings', path };
  if (method === 'GET' && path === '/v1/models') return { kind: 'models', path };
  if (method === 'GET' && path.startsWith(modelsPrefix) && path.length > modelsPrefix.length) {
    const modelId = decodePathSegment(path.slice(modelsPrefix.length));
    return modelId === undefined ? undefined : { kind: 'model', path: '/v1/models', modelId };
  }
  return undefined;
}

function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Answers a routed request; `override` is a scripted reply or tool call for a chat request. */
export function answerRoute(
  route: MockRoute,
  body: unknown,
  override: ChatContentOverride | undefined,
  settings: RouteSettings,
): MockReply {
  switch (route.kind) {
    case 'chat':
      return answerChat(body, override, settings);
    case 'embeddings': {
      if (!isJsonObject(body)) return invalidJson();
      const parsed = parseRequestBody(embeddingRequestSchema, body);
      if (!parsed.ok) return badRequest(parsed.problem);
      return json(200, buildEmbeddingResponse(parsed.value, settings.embeddingDimensions));
    }
    case 'models':
      return json(200, { object: 'list', data: settings.models.map(modelObject) });
    case 'model':
      return settings.models.includes(route.modelId)
        ? json(200, modelObject(route.modelId))
        : json(
            404,
            openAiErrorBody(
              `The model '${route.modelId}' does not exist`,
              'invalid_request_error',
              'model',
              'model_not_found',
            ),
          );
  }
}

function answerChat(
  body: unknown,
  override: ChatContentOverride | undefined,
  settings: RouteSettings,
): MockReply {
  if (!isJsonObject(body)) return invalidJson();
  const parsed = parseRequestBody(chatRequestSchema, body);
  if (!parsed.ok) return badRequest(parsed.problem);
  const request = parsed.value;
  if (request.stream_options && !request.stream) {
    return json(
      400,
      openAiErrorBody(
        "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
        'invalid_request_error',
        'stream_options',
        'invalid_value',
      ),
    );
  }
  const sequence = settings.nextSequence();
  const answer = decideChatAnswer(
    request,
    override,
    settings.defaultReply,
    `call_mock_${sequence}`,
  );
  const identity = {
    id: `chatcmpl-mock-${sequence}`,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
  };
  const usage = usageOf(request, answer);
  if (!request.stream) return json(200, buildChatCompletion(identity, answer, usage));
  const includeUsage = request.stream_options?.include_usage === true;
  return {
    type: 'sse',
    events: serializeChunks(
      buildChatCompletionChunks(identity, answer, includeUsage ? usage : undefined),
    ),
  };
}

function modelObject(id: string) {
  return { id, object: 'model', created: modelCreated, owned_by: 'aigw-mock' } as const;
}

function isJsonObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

function json(status: number, body: unknown): MockReply {
  return { type: 'json', status, body };
}

function badRequest(problem: RequestProblem): MockReply {
  return json(
    400,
    openAiErrorBody(problem.message, 'invalid_request_error', problem.param, problem.code),
  );
}

function invalidJson(): MockReply {
  return json(
    400,
    openAiErrorBody(
      'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.',
      'invalid_request_error',
    ),
  );
}
