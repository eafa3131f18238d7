import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './config-loader';

function issuesOf(yaml: string): string[] {
  try {
    parseConfig(yaml, 'test.yaml', {});
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('routing and pricing config', () => {
  it('keeps a config without routing keys valid, with empty pricing overrides', () => {
    const config = parseConfig(
      `version: 1
providers: { mock: { type: mock } }
endpoints: { chat: { targets: [{ provider: mock, model: m }] } }
`,
      't',
      {},
    );
    expect(config.raw.pricing).toEqual({ models: {} });
    expect(config.endpoints.get('chat')?.config.targets[0]).toEqual({
      provider: 'mock',
      model: 'm',
      weight: 1,
    });
  });

  it('accepts retries, timeouts, breakers, priorities and prices; numbers become decimal strings', () => {
    const config = parseConfig(
      `version: 1
providers:
  openai:
    type: openai
    base_url: https://api.openai.com/v1
    retry: { max_attempts: 3, base_backoff_ms: 200, max_backoff_ms: 4000, max_retry_after_ms: 10000, on: [rate_limited, timeout] }
    timeouts: { connect_ms: 2000, first_byte_ms: 20000, total_ms: 120000 }
    circuit_breaker: { failure_threshold: 3, cool_down_ms: 10000 }
endpoints:
  chat:
    targets:
      - { provider: openai, model: gpt-4o, weight: 3, priority: 0, price: { input: 2.5, output: "10.00" } }
      - { provider: openai, model: gpt-4o-mini, priority: 0, retry: { max_attempts: 1 }, timeouts: { total_ms: 5000 } }
pricing:
  models:
    llama-3.1-8b: { input: "0.20", output: "0.20", cached_input: "0.10" }
`,
      't',
      {},
    );
    const targets = config.endpoints.get('chat')!.config.targets;
    expect(targets[0]).toMatchObject({
      priority: 0,
      weight: 3,
      price: { input: '2.5', output: '10.00' },
    });
    expect(targets[1]).toMatchObject({ retry: { max_attempts: 1 }, timeouts: { total_ms: 5000 } });
    expect(config.raw.pricing.models['llama-3.1-8b']).toEqual({
      input: '0.20',
      output: '0.20',
      cached_input: '0.10',
    });
  });

  it('reports every bad routing or price field with its path', () => {
    const issues = issuesOf(`version: 1
providers:
  openai:
    type: openai
    base_url: https://api.openai.com/v1
    retry: { max_attempts: 0, on: [client_4xx] }
    timeouts: { connect_ms: 0 }
endpoints:
  chat:
    targets:
      - { provider: openai, model: gpt-4o, priority: -1, price: { input: "1e-6", output: "x" }, timeouts: { connect_ms: 10 } }
pricing:
  models:
    m: { input: "-1", output: "1" }
`);
    const paths = issues.map((issue) => issue.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'providers.openai.retry.max_attempts',
        'providers.openai.retry.on.0',
        'providers.openai.timeouts.connect_ms',
        'endpoints.chat.targets.0.priority',
        'endpoints.chat.targets.0.price.input',
        'endpoints.chat.targets.0.price.output',
        'endpoints.chat.targets.0.timeouts',
        'pricing.models.m.input',
      ]),
    );
  });
});
