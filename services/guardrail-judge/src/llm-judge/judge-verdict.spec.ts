import { describe, expect, it } from 'vitest';
import { parseJudgeVerdict } from './judge-verdict';

function completion(content: string | null): Buffer {
  return Buffer.from(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
}

describe('parseJudgeVerdict', () => {
  it('reads a JSON verdict, with defaults for the optional fields', () => {
    expect(
      parseJudgeVerdict(completion('{"verdict":"fail","categories":["violence"],"reason":"x"}')),
    ).toEqual({ verdict: 'fail', categories: ['violence'], reason: 'x' });
    expect(parseJudgeVerdict(completion('{"verdict":"pass"}'))).toEqual({
      verdict: 'pass',
      categories: [],
      reason: '',
    });
  });

  it('accepts a fenced json block', () => {
    expect(parseJudgeVerdict(completion('```json\n{"verdict":"pass"}\n```'))?.verdict).toBe('pass');
  });

  it.each([
    ['prose', completion('The text looks fine to me.')],
    ['an unknown verdict', completion('{"verdict":"maybe"}')],
    ['no content', completion(null)],
    ['a body that is not JSON', Buffer.from('<html>')],
    ['no choices', Buffer.from('{"choices":[]}')],
  ])('returns undefined for %s', (_label, body) => {
    expect(parseJudgeVerdict(body)).toBeUndefined();
  });
});
