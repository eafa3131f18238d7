import { describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema } from './chat-completion-request.schema';
import {
  applyChatCompletionTextParts,
  chatCompletionResponseSchema,
  chatCompletionTextParts,
} from './chat-completion-text-parts';
import { applyChatTextParts, chatTextParts } from './chat-text-parts';

const upper = (parts: { path: string; text: string }[]) =>
  parts.map((part) => ({ path: part.path, text: part.text.toUpperCase() }));

describe('chatTextParts', () => {
  const request = chatCompletionRequestSchema.parse({
    model: 'chat',
    messages: [
      { role: 'user', content: 'mail a@b.io' },
      { role: 'user', content: [{ type: 'text', text: 'part' }, { type: 'image_url' }] },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'send', arguments: '{"to":"a@b.io","cc":["c\\nd@e.io"],"n":1}' },
          },
          { id: 'call_2', type: 'function', function: { name: 'raw', arguments: 'not json' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sent to a@b.io' },
    ],
  });

  it('lists contents, text parts, tool-call argument strings and tool results', () => {
    expect(chatTextParts(request)).toEqual([
      { path: 'messages.0.content', text: 'mail a@b.io' },
      { path: 'messages.1.content.0.text', text: 'part' },
      { path: 'messages.2.tool_calls.0.function.arguments#/to', text: 'a@b.io' },
      { path: 'messages.2.tool_calls.0.function.arguments#/cc/0', text: 'c\nd@e.io' },
      { path: 'messages.2.tool_calls.1.function.arguments#', text: 'not json' },
      { path: 'messages.3.content', text: 'sent to a@b.io' },
    ]);
  });

  it('writes masked texts back, keeping tool-call arguments valid JSON', () => {
    const copy = structuredClone(request);
    applyChatTextParts(copy, upper(chatTextParts(copy)));
    expect(copy.messages[0]!.content).toBe('MAIL A@B.IO');
    expect(copy.messages[1]!.content).toEqual([
      { type: 'text', text: 'PART' },
      { type: 'image_url' },
    ]);
    const call = copy.messages[2]!.tool_calls![0]!.function!;
    expect(JSON.parse(call.arguments)).toEqual({ to: 'A@B.IO', cc: ['C\nD@E.IO'], n: 1 });
    expect(copy.messages[2]!.tool_calls![1]!.function!.arguments).toBe('NOT JSON');
    expect(copy.messages[3]!.content).toBe('SENT TO A@B.IO');
    expect(copy.messages[2]!.tool_calls![0]).toMatchObject({ id: 'call_1', type: 'function' });
  });
});

describe('chatCompletionTextParts', () => {
  it('reads and rewrites choices[].message content and tool-call arguments', () => {
    const response = chatCompletionResponseSchema.parse({
      id: 'x',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'hi a@b.io' } },
        {
          index: 1,
          message: {
            content: null,
            tool_calls: [{ function: { name: 'f', arguments: '{"q":"x"}' } }],
          },
        },
      ],
    });
    const parts = chatCompletionTextParts(response);
    expect(parts.map((part) => part.path)).toEqual([
      'choices.0.message.content',
      'choices.1.message.tool_calls.0.function.arguments#/q',
    ]);
    applyChatCompletionTextParts(response, upper(parts));
    expect(response.choices[0]!.message!.content).toBe('HI A@B.IO');
    expect(response.choices[1]!.message!.tool_calls![0]!.function!.arguments).toBe('{"q":"X"}');
    expect(response).toMatchObject({ id: 'x' });
  });
});
