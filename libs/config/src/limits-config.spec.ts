import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './config-loader';

const base = `version: 1
providers: { mock: { type: mock } }
principals:
  alice: { groups: [eng], limits: { requests_per_minute: 60 } }
endpoints:
  chat:
    targets: [{ provider: mock, model: m }]
    allow: { groups: [eng] }
    limits: { requests_per_minute: 600, tokens_per_minute: 100000, concurrent_requests: 20 }
    fail_mode: open
groups:
  eng: { limits: { tokens_per_minute: 50000 } }
`;

function issuesOf(yaml: string): string[] {
  try {
    parseConfig(yaml, 'test.yaml', {});
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('limits and budgets config', () => {
  it('reads limits on endpoints, principals and groups, and budgets of every scope', () => {
    const config = parseConfig(
      `${base}budgets:
  - { scope: user, name: alice, period: day, usd: "5.00" }
  - { scope: user, period: month, usd: 20 }
  - { scope: group, name: eng, period: month, usd: "500" }
  - { scope: endpoint, name: chat, period: day, usd: 100.5 }
  - { scope: tag, tag: team, value: search, period: day, usd: "10" }
`,
      't',
      {},
    );

    expect(config.raw.endpoints['chat']).toMatchObject({
      limits: { requests_per_minute: 600, tokens_per_minute: 100000, concurrent_requests: 20 },
      fail_mode: 'open',
      default_max_tokens: 4096,
    });
    expect(config.raw.principals['alice']?.limits).toEqual({ requests_per_minute: 60 });
    expect(config.raw.groups['eng']?.limits).toEqual({ tokens_per_minute: 50000 });
    expect(config.raw.budgets.map((budget) => budget.usd)).toEqual([
      '5.00',
      '20',
      '500',
      '100.5',
      '10',
    ]);
    expect(config.raw.runtime.limits.lease_seconds).toBe(600);
  });

  it('fails closed by default', () => {
    const config = parseConfig(base.replace('    fail_mode: open\n', ''), 't', {});
    expect(config.raw.endpoints['chat']?.fail_mode).toBe('closed');
  });

  it('reports every bad limit and budget with its path', () => {
    expect(
      issuesOf(
        `${base.replace('requests_per_minute: 60 }', 'requests_per_minute: 0 }')}budgets:
  - { scope: group, period: day, usd: "5" }
  - { scope: tag, period: week, usd: "-1" }
  - { scope: user, name: bob, period: day, usd: "1" }
  - { scope: endpoint, name: nope, period: day, usd: "1" }
  - { scope: group, name: sales, period: day, usd: "1" }
  - { scope: user, tag: team, period: day, usd: "2000000" }
`,
      ),
    ).toEqual(
      expect.arrayContaining([
        'principals.alice.limits.requests_per_minute: Too small: expected number to be >=1',
        'budgets.0.name: a group budget needs the group name',
        expect.stringMatching(/^budgets\.1\.period: /),
        'budgets.1.usd: must be a decimal USD amount, e.g. "25.00"',
        'budgets.2.name: unknown principal "bob"',
        'budgets.3.name: unknown endpoint "nope"',
        'budgets.4.name: unknown group "sales"',
        'budgets.5.tag: a user budget has no tag',
        'budgets.5.usd: must be at most 1000000',
      ]),
    );
  });
});
