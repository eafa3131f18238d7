import { describe, expect, it } from 'vitest';
import { readSseData } from './sse-reader';

async function collect(chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  async function* source() {
    for (const chunk of chunks) yield Buffer.from(chunk);
  }
  for await (const data of readSseData(source())) out.push(data);
  return out;
}

describe('readSseData', () => {
  it('yields each event data, even when events are split across chunks', async () => {
    expect(await collect(['data: {"a":1}\n\nda', 'ta: {"b":2}\n', '\ndata: [DONE]\n\n'])).toEqual([
      '{"a":1}',
      '{"b":2}',
      '[DONE]',
    ]);
  });

  it('handles CRLF, comments, event names and multi-line data', async () => {
    expect(await collect([': ping\r\n\r\nevent: x\r\ndata: a\r\ndata: b\r\n\r\n'])).toEqual([
      'a\nb',
    ]);
  });
});
