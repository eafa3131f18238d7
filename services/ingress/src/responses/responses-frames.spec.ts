import { describe, expect, it } from 'vitest';
import { ChatToResponsesStream, responsesRequestSchema, responsesSettingsOf } from '@aigw/llm-api';
import { responsesFramesOf } from './responses-frames';

const settings = responsesSettingsOf(responsesRequestSchema.parse({ model: 'agent', input: 'x' }));

async function translate(frames: string[]): Promise<{ types: string[]; completed: number }> {
  let completed = 0;
  const translator = new ChatToResponsesStream(settings, { responseId: 'resp_1', createdAt: 1 });
  async function* source(): AsyncGenerator<string> {
    yield* frames;
  }
  let text = '';
  for await (const frame of responsesFramesOf(source(), translator, () => void completed++)) {
    text += frame;
  }
  const types = [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]!);
  return { types, completed };
}

const chunk = (content: string): string =>
  `data: ${JSON.stringify({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  })}\n\n`;

describe('responsesFramesOf', () => {
  it('completes the response on [DONE] and reports it once', async () => {
    const { types, completed } = await translate([chunk('a'), chunk('b'), 'data: [DONE]\n\n']);
    expect(types.at(-1)).toBe('response.completed');
    expect(types.filter((type) => type === 'response.output_text.delta')).toHaveLength(2);
    expect(completed).toBe(1);
  });

  it('turns a pipeline error frame into response.failed, and keeps nothing', async () => {
    const error = `data: ${JSON.stringify({ error: { message: 'blocked', code: 'guardrail_blocked' } })}\n\n`;
    const { types, completed } = await translate([chunk('a'), error, chunk('late')]);
    expect(types.at(-1)).toBe('response.failed');
    expect(types).not.toContain('response.completed');
    expect(completed).toBe(0);
  });

  it('fails a stream that ends without [DONE]', async () => {
    const { types, completed } = await translate([chunk('a')]);
    expect(types.at(-1)).toBe('response.failed');
    expect(completed).toBe(0);
  });
});
