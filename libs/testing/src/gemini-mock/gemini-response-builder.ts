import { estimateMockTokens } from '../openai-mock/mock-tokens';
import { type GeminiMockFaultBehaviour } from './gemini-mock.types';
import { type MockGenerateContentRequest } from './gemini-request.schema';

/** What the model answers, decided before it is shaped as a response or a stream. */
export type GeminiAnswer =
  | { readonly kind: 'text'; readonly text: string; readonly finishReason: 'STOP' | 'MAX_TOKENS' }
  | {
      readonly kind: 'function-call';
      readonly name: string;
      readonly args: Readonly<Record<string, unknown>>;
    };

export type GeminiContentOverride = Extract<
  GeminiMockFaultBehaviour,
  { kind: 'reply' | 'function-call' }
>;

type Parts = MockGenerateContentRequest['contents'][number]['parts'];

function textOf(parts: Parts | undefined): string {
  let text = '';
  for (const part of parts ?? []) if (typeof part.text === 'string') text += part.text;
  return text;
}

/** The default reply: `echo: ` and the text of the last user turn. */
export function echoLastUserTurn(request: MockGenerateContentRequest): string {
  for (let index = request.contents.length - 1; index >= 0; index--) {
    const content = request.contents[index];
    if (content?.role !== 'model') return `echo: ${textOf(content?.parts)}`;
  }
  return 'echo: ';
}

/**
 * Picks the answer: a scripted function call (only when functions were declared), or the
 * scripted or default text cut at the first stop sequence (Gemini reports `STOP`, leaving the
 * sequence out) or at `maxOutputTokens * 4` characters (`MAX_TOKENS`).
 */
export function decideGeminiAnswer(
  request: MockGenerateContentRequest,
  override: GeminiContentOverride | undefined,
  defaultReply: (request: MockGenerateContentRequest) => string,
): GeminiAnswer {
  const declared = request.tools?.some((tool) => (tool.functionDeclarations?.length ?? 0) > 0);
  if (override?.kind === 'function-call' && declared) return override;
  let text = override?.kind === 'reply' ? override.text : defaultReply(request);
  for (const sequence of request.generationConfig?.stopSequences ?? []) {
    const at = sequence === '' ? -1 : text.indexOf(sequence);
    if (at !== -1) text = text.slice(0, at);
  }
  const limit = request.generationConfig?.maxOutputTokens;
  if (limit !== undefined && estimateMockTokens(text) > limit) {
    return { kind: 'text', text: text.slice(0, limit * 4), finishReason: 'MAX_TOKENS' };
  }
  return { kind: 'text', text, finishReason: 'STOP' };
}

/** Documented `usageMetadata` fields; prompt counts system and contents text. */
export function usageMetadataOf(
  request: MockGenerateContentRequest,
  answer: GeminiAnswer,
  override: GeminiContentOverride | undefined,
): Record<string, number> {
  let prompt = estimateMockTokens(textOf(request.systemInstruction?.parts));
  for (const content of request.contents) prompt += estimateMockTokens(textOf(content.parts));
  const candidates =
    answer.kind === 'text'
      ? estimateMockTokens(answer.text)
      : estimateMockTokens(answer.name) + estimateMockTokens(JSON.stringify(answer.args));
  const cached = override?.kind === 'reply' ? (override.cachedTokens ?? 0) : 0;
  const thoughts = override?.kind === 'reply' ? (override.thoughtsTokens ?? 0) : 0;
  const usage: Record<string, number> = {
    promptTokenCount: prompt + cached,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + cached + candidates + thoughts,
  };
  if (cached > 0) usage['cachedContentTokenCount'] = cached;
  if (thoughts > 0) usage['thoughtsTokenCount'] = thoughts;
  return usage;
}

function partsOf(answer: GeminiAnswer, text?: string) {
  return answer.kind === 'text'
    ? [{ text: text ?? answer.text }]
    : [{ functionCall: { name: answer.name, args: answer.args } }];
}

/** A non-streaming `GenerateContentResponse`. */
export function buildGenerateContentResponse(
  responseId: string,
  model: string,
  answer: GeminiAnswer,
  usage: Record<string, number>,
) {
  return {
    candidates: [
      {
        content: { role: 'model', parts: partsOf(answer) },
        finishReason: answer.kind === 'text' ? answer.finishReason : 'STOP',
        index: 0,
      },
    ],
    usageMetadata: usage,
    modelVersion: model,
    responseId,
  };
}

/**
 * The events of `streamGenerateContent?alt=sse`: one `GenerateContentResponse` per word (or
 * the whole function call), each with usage so far; the last carries the finish reason.
 */
export function buildStreamEvents(
  responseId: string,
  model: string,
  answer: GeminiAnswer,
  usage: Record<string, number>,
): string[] {
  const pieces = answer.kind === 'text' ? splitIntoWords(answer.text) : [''];
  if (pieces.length === 0) pieces.push('');
  return pieces.map((piece, index) => {
    const last = index === pieces.length - 1;
    const candidate: Record<string, unknown> = {
      content: { role: 'model', parts: partsOf(answer, piece) },
      index: 0,
    };
    if (last) candidate['finishReason'] = answer.kind === 'text' ? answer.finishReason : 'STOP';
    const usageSoFar = last ? usage : { promptTokenCount: usage['promptTokenCount'] ?? 0 };
    return JSON.stringify({
      candidates: [candidate],
      usageMetadata: usageSoFar,
      modelVersion: model,
      responseId,
    });
  });
}

function splitIntoWords(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** Google's error JSON for a status, with its canonical status name. */
export function geminiErrorBody(status: number, message?: string, retryDelaySeconds?: number) {
  const name = statusNames[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
  const error: Record<string, unknown> = {
    code: status,
    message: message ?? defaultMessages[name] ?? `Request failed with status ${status} (mock).`,
    status: name,
  };
  if (retryDelaySeconds !== undefined) {
    error['details'] = [
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryDelaySeconds}s` },
    ];
  }
  return { error };
}

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const defaultMessages: Record<string, string> = {
  RESOURCE_EXHAUSTED: 'Resource has been exhausted (e.g. check quota).',
  INTERNAL: 'An internal error has occurred.',
  UNAVAILABLE: 'The model is overloaded. Please try again later.',
};
