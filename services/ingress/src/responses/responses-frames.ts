import { dataOf, errorOf, parseJson } from '../http/chat-frame-reading';
import {
  type ChatToResponsesStream,
  chatCompletionChunkSchema,
  responsesSseFrame,
  type ResponsesStreamEvent,
} from '@aigw/llm-api';

/**
 * Translates the pipeline's OpenAI SSE frames (`data: <chunk>`, then `data: [DONE]` or an
 * error frame) into Responses API SSE frames, chunk by chunk. `onCompleted` runs once when
 * the response completed (not when it failed or the client left), before its last frames are
 * sent: a client that continues the response right away finds it stored.
 */
export async function* responsesFramesOf(
  frames: AsyncIterable<string>,
  translator: ChatToResponsesStream,
  onCompleted: () => void | Promise<void>,
): AsyncGenerator<string> {
  let ended = false;
  for await (const frame of frames) {
    for (const data of dataOf(frame)) {
      if (ended) continue;
      if (data === '[DONE]') {
        ended = true;
        const finished = join(translator.finish());
        await onCompleted();
        yield finished;
        continue;
      }
      const json = parseJson(data);
      const failure = errorOf(json);
      if (failure) {
        ended = true;
        yield join(translator.fail(failure.code || 'server_error', failure.message));
        continue;
      }
      const chunk = chatCompletionChunkSchema.safeParse(json);
      if (!chunk.success) continue;
      const events = translator.push(chunk.data);
      if (events.length > 0) yield join(events);
    }
  }
  if (!ended) yield join(translator.fail('server_error', 'the provider stream ended early'));
}

function join(events: readonly ResponsesStreamEvent[]): string {
  return events.map(responsesSseFrame).join('');
}
