import { setTimeout as sleep } from 'node:timers/promises';
import { type Usage } from '@aigw/contracts';
import { uuidv7 } from '@aigw/core';
import { type ChatCompletionRequest, type EmbeddingRequest } from '@aigw/llm-api';
import {
  type ProviderAdapter,
  type ProviderCompletion,
  type ProviderEmbeddings,
  type ProviderStreamChunk,
} from '../provider-adapter';
import { mockEmbeddingsAnswer } from './mock-embeddings';

/** Rough token count for the mock: one token per 4 characters, at least one. */
function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function lastUserText(request: ChatCompletionRequest): string {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index]!;
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    if (Array.isArray(message.content)) {
      return message.content.map((part) => part.text ?? '').join(' ');
    }
  }
  return '';
}

/**
 * The built-in provider for zero-setup runs: answers instantly (or after `latencyMs`) in OpenAI
 * format by echoing the last user message, so what the gateway changed (e.g. masking) is visible.
 */
export class MockAdapter implements ProviderAdapter {
  constructor(private readonly latencyMs: number) {}

  async complete(request: ChatCompletionRequest, signal: AbortSignal): Promise<ProviderCompletion> {
    if (this.latencyMs > 0) await sleep(this.latencyMs, undefined, { signal });
    const content = this.reply(request);
    const usage = this.usage(request, content);
    const body = {
      id: `chatcmpl-${uuidv7()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: usage.promptTokens,
        completion_tokens: usage.completionTokens,
        total_tokens: usage.promptTokens + usage.completionTokens,
      },
    };
    return { body: Buffer.from(JSON.stringify(body)), usage };
  }

  /** Deterministic vectors: the same input always embeds to the same unit vector. */
  async embed(request: EmbeddingRequest, signal: AbortSignal): Promise<ProviderEmbeddings> {
    if (this.latencyMs > 0) await sleep(this.latencyMs, undefined, { signal });
    const { body, usage } = mockEmbeddingsAnswer(request);
    return { body: Buffer.from(JSON.stringify(body)), usage };
  }

  async *stream(
    request: ChatCompletionRequest,
    signal: AbortSignal,
  ): AsyncGenerator<ProviderStreamChunk> {
    if (this.latencyMs > 0) await sleep(this.latencyMs, undefined, { signal });
    const content = this.reply(request);
    const usage = this.usage(request, content);
    const id = `chatcmpl-${uuidv7()}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): Buffer =>
      Buffer.from(
        JSON.stringify({
          id,
          object: 'chat.completion.chunk',
          created,
          model: request.model,
          choices,
          ...extra,
        }),
      );
    yield {
      data: chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
      forClient: true,
    };
    for (const piece of content.match(/\S+\s*/g) ?? [content]) {
      yield {
        data: chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]),
        forClient: true,
      };
    }
    yield { data: chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]), forClient: true };
    yield {
      data: chunk([], {
        usage: {
          prompt_tokens: usage.promptTokens,
          completion_tokens: usage.completionTokens,
          total_tokens: usage.promptTokens + usage.completionTokens,
        },
      }),
      usage,
      forClient: request.stream_options?.include_usage === true,
    };
  }

  private reply(request: ChatCompletionRequest): string {
    return `Mock reply from aigw. You said: ${lastUserText(request)}`;
  }

  private usage(request: ChatCompletionRequest, content: string): Usage {
    const prompt = request.messages
      .map((message) =>
        typeof message.content === 'string'
          ? message.content
          : JSON.stringify(message.content ?? ''),
      )
      .join('\n');
    return {
      promptTokens: estimateTokens(prompt),
      completionTokens: estimateTokens(content),
      cachedTokens: 0,
      reasoningTokens: 0,
    };
  }
}
