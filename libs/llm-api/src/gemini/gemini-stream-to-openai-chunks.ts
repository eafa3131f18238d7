import {
  type ChatCompletionChunk,
  type ChatCompletionChunkChoice,
} from '../openai/chat-completion.schema';
import { finishReasonOfGemini } from './gemini-finish-reason';
import { completionIdOf, randomGeminiIds } from './gemini-ids';
import { type GeminiResponse, type GeminiUsage } from './gemini-response.schema';
import { type GeminiTranslationOptions } from './gemini-to-openai-completion';
import { openAiUsageOfGemini } from './gemini-usage-mapping';

/**
 * Turns the events of one `streamGenerateContent?alt=sse` stream (each a whole
 * `GenerateContentResponse` carrying the next parts) into OpenAI `chat.completion.chunk`
 * objects, one stream per instance. The first event also gives the role chunk; text parts give
 * content deltas, each `functionCall` part one complete `tool_calls` delta, and a
 * `finishReason` the finish chunk. Gemini has no end event: after the last event, `finish()`
 * gives the usage-only chunk (`choices: []`), as OpenAI sends with `include_usage`.
 */
export class GeminiToOpenAiStream {
  private id = '';
  private model: string;
  private started = false;
  private finishReason: string | undefined;
  private usage: GeminiUsage | undefined;
  private toolCalls = 0;
  private readonly created: number;

  constructor(private readonly options: GeminiTranslationOptions) {
    this.model = options.model;
    this.created = options.created ?? Math.floor(Date.now() / 1000);
  }

  push(event: GeminiResponse): ChatCompletionChunk[] {
    const chunks: ChatCompletionChunk[] = [];
    if (!this.started) {
      this.started = true;
      this.id = completionIdOf(event.responseId, this.options.ids ?? randomGeminiIds);
      if (event.modelVersion) this.model = event.modelVersion;
      chunks.push(this.chunk({ role: 'assistant', content: '' }));
    }
    // Usage counts are cumulative: the latest wins.
    if (event.usageMetadata) this.usage = event.usageMetadata;
    const candidate = event.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.thought === true) continue;
      if (typeof part.text === 'string' && part.text !== '') {
        chunks.push(this.chunk({ content: part.text }));
      } else if (part.functionCall) {
        const ids = this.options.ids ?? randomGeminiIds;
        chunks.push(
          this.chunk({
            tool_calls: [
              {
                index: this.toolCalls++,
                id: part.functionCall.id ?? ids.toolCallId(),
                type: 'function',
                function: {
                  name: part.functionCall.name,
                  arguments: JSON.stringify(part.functionCall.args ?? {}),
                },
              },
            ],
          }),
        );
      }
    }
    const blocked = !candidate && event.promptFeedback?.blockReason !== undefined;
    if ((candidate?.finishReason || blocked) && this.finishReason === undefined) {
      this.finishReason = blocked
        ? 'content_filter'
        : finishReasonOfGemini(candidate?.finishReason, this.toolCalls > 0);
      chunks.push(this.chunk({}, this.finishReason));
    }
    return chunks;
  }

  /** True once an event carried a finish reason: the answer is complete. */
  get finished(): boolean {
    return this.finishReason !== undefined;
  }

  /** The last, usage-only chunk; call after the stream ended. */
  finish(): ChatCompletionChunk {
    return { ...this.chunk({}), choices: [], usage: openAiUsageOfGemini(this.usage) };
  }

  private chunk(
    delta: ChatCompletionChunkChoice['delta'],
    finishReason: string | null = null,
  ): ChatCompletionChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
  }
}
