import { type ChatCompletionChunk } from 'openai/resources/chat/completions';

// Cannot occur in a real delta, so splitting the template's JSON on it is unambiguous.
const marker = '\u0000aigw-mock-delta\u0000';
const markerJson = JSON.stringify(marker);

/**
 * The JSON text of each chunk of one stream, exactly as `JSON.stringify` would write it, but
 * fast: the chunks of a stream differ only in their deltas, so a text-only delta is spliced
 * into a template serialized once instead of serializing the whole chunk again.
 */
export function serializeChunks(chunks: readonly ChatCompletionChunk[]): string[] {
  let template: readonly [string, string] | undefined;
  return chunks.map((chunk) => {
    const text = textOnlyDelta(chunk);
    if (text === undefined) return JSON.stringify(chunk);
    template ??= templateOf(chunk);
    return template ? template[0] + JSON.stringify(text) + template[1] : JSON.stringify(chunk);
  });
}

function textOnlyDelta(chunk: ChatCompletionChunk): string | undefined {
  const choice = chunk.choices[0];
  if (!choice || chunk.choices.length !== 1 || choice.finish_reason !== null) return undefined;
  const { delta } = choice;
  if (typeof delta.content !== 'string') return undefined;
  for (const key in delta) if (key !== 'content') return undefined;
  return delta.content;
}

function templateOf(chunk: ChatCompletionChunk): readonly [string, string] | undefined {
  const choice = { ...chunk.choices[0]!, delta: { content: marker } };
  const parts = JSON.stringify({ ...chunk, choices: [choice] }).split(markerJson);
  return parts.length === 2 ? [parts[0]!, parts[1]!] : undefined;
}
