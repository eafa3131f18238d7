import { describe, expect, it } from 'vitest';
import { type CallState } from './call-state';
import { maxLoggedBodyBytes, PayloadCaptures, streamedText } from './payload-capture';

function state(endpoint: string): CallState {
  return {
    call: {} as CallState['call'],
    operation: 'chat.completions',
    started: 0,
    stream: false,
    context: { requestId: 'r', traceId: 't', principal: undefined, endpoint, tags: {} },
  };
}

describe('PayloadCaptures', () => {
  const captures = () =>
    new PayloadCaptures((endpoint) => (endpoint === 'logged' ? { retentionDays: 9 } : undefined));

  it('captures only calls whose endpoint logs payloads, once', () => {
    const payloads = captures();
    const logged = state('logged');
    const other = state('other');
    payloads.sentUpstream(logged, Buffer.from('{"masked":"[EMAIL_1]"}'));
    payloads.sentUpstream(other, Buffer.from('{}'));
    payloads.responded(logged, 'answer');
    expect(payloads.capturing(other)).toBe(false);
    expect(payloads.take(logged)).toEqual({
      retentionDays: 9,
      requestBody: '{"masked":"[EMAIL_1]"}',
      responseBody: 'answer',
      truncated: false,
    });
    expect(payloads.take(logged)).toBeUndefined();
  });

  it('cuts bodies at the size limit and says so', () => {
    const payloads = captures();
    const logged = state('logged');
    payloads.sentUpstream(logged, Buffer.alloc(maxLoggedBodyBytes + 10, 'a'));
    const capture = payloads.take(logged)!;
    expect(capture.truncated).toBe(true);
    expect(capture.requestBody).toHaveLength(maxLoggedBodyBytes);
  });
});

describe('streamedText', () => {
  it('reads the delta text of a chunk and ignores anything else', () => {
    expect(streamedText('{"choices":[{"delta":{"content":"Hel"}}]}')).toBe('Hel');
    expect(streamedText('{"choices":[{"delta":{"role":"assistant"}}]}')).toBe('');
    expect(streamedText('[DONE]')).toBe('');
  });
});
