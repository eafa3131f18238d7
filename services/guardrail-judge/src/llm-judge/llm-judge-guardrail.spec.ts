import { type RouteRequest, type RouteResponse, type RouterServiceClient } from '@aigw/contracts';
import { describe, expect, it } from 'vitest';
import { type LlmJudgeConfig, LlmJudgeGuardrail } from './llm-judge-guardrail';

const config: LlmJudgeConfig = {
  type: 'llm_judge',
  kind: 'content_safety',
  endpoint: 'judge',
  timeout_ms: 50,
  on_error: 'fail_closed',
  action: 'block',
};
const target = { provider: 'upstream', model: 'judge-model', weight: 1 };

function answered(content: string, overrides: Partial<RouteResponse> = {}): RouteResponse {
  return {
    status: 200,
    body: Buffer.from(JSON.stringify({ choices: [{ message: { content } }] })),
    usage: undefined,
    provider: 'upstream',
    model: 'judge-model',
    attempts: 1,
    error: undefined,
    costUsd: '0.0001',
    ...overrides,
  };
}

/** A router client whose complete answers with `respond`, recording what it was sent. */
function routerReturning(respond: () => Promise<RouteResponse>): {
  router: RouterServiceClient;
  sent: RouteRequest[];
} {
  const sent: RouteRequest[] = [];
  const router = {
    complete: (request: RouteRequest) => {
      sent.push(request);
      return respond();
    },
    stream: () => {
      throw new Error('not used');
    },
  } as unknown as RouterServiceClient;
  return { router, sent };
}

const input = { texts: ['some text'], grounding: [] };

describe('LlmJudgeGuardrail', () => {
  it('blocks on a fail verdict, reporting categories and the judge call', async () => {
    const { router, sent } = routerReturning(async () =>
      answered('{"verdict":"fail","categories":["violence"],"reason":"threat"}'),
    );
    const outcome = await new LlmJudgeGuardrail('safety', config, [target], router).evaluate(input);
    expect(outcome.verdict).toBe('blocked');
    expect([...outcome.entities]).toEqual([['violence', 1]]);
    expect(outcome.judge).toEqual({
      provider: 'upstream',
      model: 'judge-model',
      costUsd: '0.0001',
    });
    const body = JSON.parse(Buffer.from(sent[0]!.body).toString('utf8')) as {
      response_format: unknown;
    };
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(sent[0]!.targets).toEqual([target]);
  });

  it('passes on a pass verdict, and only logs a fail when the action is log', async () => {
    const pass = routerReturning(async () => answered('{"verdict":"pass"}'));
    expect(
      (await new LlmJudgeGuardrail('safety', config, [target], pass.router).evaluate(input))
        .verdict,
    ).toBe('passed');
    const fail = routerReturning(async () => answered('{"verdict":"fail","categories":["hate"]}'));
    const logged = await new LlmJudgeGuardrail(
      'safety',
      { ...config, action: 'log' },
      [target],
      fail.router,
    ).evaluate(input);
    expect(logged.verdict).toBe('passed');
    expect([...logged.entities]).toEqual([['hate', 1]]);
  });

  it.each([
    ['a timeout', () => new Promise<RouteResponse>(() => undefined), 'judge_timeout'],
    ['a thrown call', () => Promise.reject(new Error('unavailable')), 'judge_unavailable'],
    [
      'a router error',
      async () =>
        answered('', { error: { code: 'upstream_5xx', message: 'down', httpStatus: 502 } }),
      'judge_unavailable',
    ],
    ['an unreadable answer', async () => answered('I think it is fine'), 'judge_unreadable'],
  ])('applies on_error to %s', async (_label, respond, failure) => {
    const { router } = routerReturning(respond);
    const closed = await new LlmJudgeGuardrail('safety', config, [target], router).evaluate(input);
    expect(closed.verdict).toBe('blocked');
    expect([...closed.entities]).toEqual([[failure, 1]]);
    const open = await new LlmJudgeGuardrail(
      'safety',
      { ...config, on_error: 'fail_open' },
      [target],
      router,
    ).evaluate(input);
    expect(open.verdict).toBe('passed');
  });
});
