import {
  type ChatToResponsesStream,
  chatCompletionChunkSchema,
  responsesSseFrame,
  type ResponsesStreamEvent,
} from '@aigw/llm-api';

/**
 * Translates the pipeline's OpenAI SSE frames (`data: <chunk>`, then `data: [DONE]` or an
 * error frame) into Responses API SSE frames, chunk by chunk. `onCompleted` runs once when
 * the response completed (not when it failed or the client left).
 */
export async function* responsesFramesOf(
  frames: AsyncIterable<string>,
  translator: ChatToResponsesStream,
  onCompleted: () => void,
): AsyncGenerator<string> {
  let ended = false;
  for await (const frame of frames) {
    for (const data of dataOf(frame)) {
      if (ended) continue;
      if (data === '[DONE]') {
        ended = true;
        yield join(translator.finish());
        onCompleted();
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

/** The `data:` payloads of one or more SSE events in a frame. */
function dataOf(frame: string): string[] {
  const payloads: string[] = [];
  for (const event of frame.split(/\r?\n\r?\n/)) {
    const lines = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
    if (lines.length > 0) payloads.push(lines.join('\n'));
  }
  return payloads;
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

function errorOf(json: unknown): { code: string; message: string } | undefined {
  if (json === null || typeof json !== 'object' || !('error' in json)) return undefined;
  const error = json.error as { code?: unknown; message?: unknown } | null;
  if (!error || typeof error !== 'object') return undefined;
  return {
    code: typeof error.code === 'string' ? error.code : '',
    message: typeof error.message === 'string' ? error.message : 'the stream failed',
  };
}
