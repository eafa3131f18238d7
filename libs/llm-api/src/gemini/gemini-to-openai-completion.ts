import { type ChatCompletion, type ChatCompletionToolCall } from '../openai/chat-completion.schema';
import { finishReasonOfGemini } from './gemini-finish-reason';
import { completionIdOf, type GeminiIdSource, randomGeminiIds } from './gemini-ids';
import { type GeminiResponse } from './gemini-response.schema';
import { openAiUsageOfGemini } from './gemini-usage-mapping';

export interface GeminiTranslationOptions {
  /** The model the request named; used when the response has no `modelVersion`. */
  readonly model: string;
  readonly created?: number;
  readonly ids?: GeminiIdSource;
}

/**
 * Translates a Gemini `GenerateContentResponse` into an OpenAI `chat.completion`: text parts of
 * the first candidate become the content (thought parts are left out), `functionCall` parts
 * become `tool_calls` with generated ids, and `usageMetadata` becomes `usage`. A prompt blocked
 * before any candidate reads as an empty answer with `finish_reason: content_filter`.
 */
export function geminiToOpenAiCompletion(
  response: GeminiResponse,
  options: GeminiTranslationOptions,
): ChatCompletion {
  const ids = options.ids ?? randomGeminiIds;
  const candidate = response.candidates?.[0];
  let text = '';
  let hasText = false;
  const toolCalls: ChatCompletionToolCall[] = [];
  for (const part of candidate?.content?.parts ?? []) {
    if (part.thought === true) continue;
    if (typeof part.text === 'string') {
      text += part.text;
      hasText = true;
    } else if (part.functionCall) {
      toolCalls.push({
        id: part.functionCall.id ?? ids.toolCallId(),
        type: 'function',
        function: {
          name: part.functionCall.name,
          arguments: JSON.stringify(part.functionCall.args ?? {}),
        },
      });
    }
  }
  const message: ChatCompletion['choices'][number]['message'] = {
    role: 'assistant',
    content: hasText || toolCalls.length === 0 ? text : null,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const finishReason = candidate
    ? finishReasonOfGemini(candidate.finishReason, toolCalls.length > 0)
    : 'content_filter';
  return {
    id: completionIdOf(response.responseId, ids),
    object: 'chat.completion',
    created: options.created ?? Math.floor(Date.now() / 1000),
    model: response.modelVersion ?? options.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: openAiUsageOfGemini(response.usageMetadata),
  };
}
