import { describe, expect, it } from 'vitest';
import { completionToolCalls, conversationFacts, StreamedToolCalls } from './tool-call-records';

describe('tool call records', () => {
  it('counts assistant turns and names each tool result by its call', () => {
    const facts = conversationFacts({
      model: 'm',
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'ls', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'a.txt b.txt' },
        { role: 'assistant', content: 'two files' },
        { role: 'user', content: 'thanks' },
        { role: 'tool', tool_call_id: 'unknown', content: [{ type: 'text', text: 'ü' }] },
      ],
    });
    expect(facts.turn).toBe(3);
    expect(facts.toolResults).toEqual([
      { name: 'ls', callId: 'c1', turn: 1, outputBytes: 11 },
      { name: '', callId: 'unknown', turn: 0, outputBytes: 2 },
    ]);
  });

  it('reads the tool calls of a completion body', () => {
    const body = Buffer.from(
      JSON.stringify({
        choices: [
          {
            message: {
              tool_calls: [{ id: 'c9', function: { name: 'rm', arguments: '{"path":"/"}' } }],
            },
          },
        ],
      }),
    );
    expect(completionToolCalls(body, 2)).toEqual([
      { name: 'rm', callId: 'c9', turn: 2, argumentBytes: 12 },
    ]);
    expect(completionToolCalls(Buffer.from('{"choices":[]}'), 1)).toEqual([]);
  });

  it('assembles streamed tool calls from their deltas', () => {
    const calls = new StreamedToolCalls();
    const chunk = (toolCalls: unknown[]): string =>
      JSON.stringify({ choices: [{ delta: { tool_calls: toolCalls } }] });
    calls.observe(chunk([{ index: 0, id: 'c1', function: { name: 'read', arguments: '{"p' } }]));
    calls.observe(chunk([{ index: 0, function: { arguments: '":1}' } }]));
    calls.observe(chunk([{ index: 1, id: 'c2', function: { name: 'write', arguments: '{}' } }]));
    calls.observe('{"choices":[{"delta":{"content":"text"}}]}');
    expect(calls.records(4)).toEqual([
      { name: 'read', callId: 'c1', turn: 4, argumentBytes: 7 },
      { name: 'write', callId: 'c2', turn: 4, argumentBytes: 2 },
    ]);
  });
});
