import { gatewayErrorCodeFrom } from '@aigw/core';
import {
  anthropicErrorBody,
  anthropicSseFrame,
  chatCompletionChunkSchema,
  OpenAiToAnthropicStream,
} from '@aigw/llm-api';
import { dataOf, errorOf, parseJson } from './chat-frame-reading';
import { anthropicErrorTypeOf } from './anthropic-error-response';

/**
 * Translates the pipeline's OpenAI SSE frames (`data: <chunk>`, then `data: [DONE]` or an
 * error frame) into Anthropic SSE frames, chunk by chunk: nothing is buffered.
 */
export async function* anthropicFramesOf(
  frames: AsyncIterable<string>,
  model: string,
): AsyncGenerator<string> {
  const translator = new OpenAiToAnthropicStream(model);
  let ended = false;
  for await (const frame of frames) {
    for (const data of dataOf(frame)) {
      if (ended) continue;
      if (data === '[DONE]') {
        ended = true;
        yield join(translator.finish());
        continue;
      }
      const json = parseJson(data);
      const failure = errorOf(json);
      if (failure) {
        ended = true;
        const type = anthropicErrorTypeOf(gatewayErrorCodeFrom(failure.code));
        yield anthropicSseFrame(anthropicErrorBody(type, failure.message));
        continue;
      }
      const chunk = chatCompletionChunkSchema.safeParse(json);
      if (!chunk.success) continue;
      const events = translator.push(chunk.data);
      if (events.length > 0) yield join(events);
    }
  }
  if (!ended) yield join(translator.finish());
}

function join(events: ReadonlyArray<{ type: string }>): string {
  return events.map(anthropicSseFrame).join('');
}
