import { describe, expect, it } from 'vitest';
import { anthropicFramesOf } from './anthropic-sse-frames';

const chunk = (delta: object, finishReason: string | null = null) =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  })}\n\n`;

async function translate(frames: string[]): Promise<Array<{ event: string; data: unknown }>> {
  async function* source() {
    yield* frames;
  }
  let text = '';
  for await (const frame of anthropicFramesOf(source(), 'chat')) text += frame;
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((event) => {
      const [name, data] = event.split('\n');
      return {
        event: name!.slice('event: '.length),
        data: JSON.parse(data!.slice('data: '.length)),
      };
    });
}

describe('anthropicFramesOf', () => {
  it('turns OpenAI frames into named Anthropic events, ending at [DONE]', async () => {
    const events = await translate([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hi' }),
      chunk({}, 'stop'),
      'data: [DONE]\n\n',
    ]);

    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events.every((event) => (event.data as { type: string }).type === event.event)).toBe(
      true,
    );
  });

  it('turns an error frame into an Anthropic error event and stops', async () => {
    const events = await translate([
      chunk({ content: 'partial' }),
      `data: ${JSON.stringify({ error: { message: 'the provider stream ended early', type: 'api_error', code: 'upstream_error' } })}\n\n`,
    ]);

    expect(events.at(-1)).toEqual({
      event: 'error',
      data: {
        type: 'error',
        error: { type: 'api_error', message: 'the provider stream ended early' },
      },
    });
    expect(events.some((event) => event.event === 'message_stop')).toBe(false);
  });
});
