/**
 * Reading the OpenAI chat output the pipeline produces, for the routes that translate it into
 * another API (Anthropic Messages, OpenAI Responses).
 */

/** The `data:` payloads of one or more SSE events in a frame. */
export function dataOf(frame: string): string[] {
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

/** JSON text (or a UTF-8 body) parsed; undefined when it is not JSON. */
export function parseJson(data: string | Buffer): unknown {
  try {
    return JSON.parse(typeof data === 'string' ? data : data.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The `error` of an OpenAI error chunk, when the JSON is one. */
export function errorOf(json: unknown): { code: string; message: string } | undefined {
  if (json === null || typeof json !== 'object' || !('error' in json)) return undefined;
  const error = json.error as { code?: unknown; message?: unknown } | null;
  if (!error || typeof error !== 'object') return undefined;
  return {
    code: typeof error.code === 'string' ? error.code : '',
    message: typeof error.message === 'string' ? error.message : 'the stream failed',
  };
}
