import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './config-loader';

const base = `version: 1
providers: { mock: { type: mock } }
principals: { alice: { groups: [eng] } }
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

describe('guardrail config', () => {
  it('keeps the existing pii config valid, with defaults', () => {
    const config = parseConfig(
      `${base}guardrails:\n  pii-mask: { type: pii, action: mask }\n`,
      't',
      {},
    );
    expect(config.guardrails.get('pii-mask')).toEqual({
      type: 'pii',
      action: 'mask',
      entities: ['email', 'phone'],
    });
  });

  it('accepts secrets, prompt injection and custom entities', () => {
    const config = parseConfig(
      `${base}guardrails:
  pii: { type: pii, entities: [email, credit_card, iban], custom: [{ name: employee_id, pattern: 'EMP-\\d{6}' }] }
  secrets: { type: secrets, action: mask, never_send: [Project Falcon], markers: ['CONFIDENTIAL – INTERNAL'] }
  injection: { type: prompt_injection, stage: request, threshold: 0.7 }
endpoints:
  chat:
    targets: [{ provider: mock, model: m }]
    guardrails: { request: [pii, secrets, injection], response: [pii, secrets] }
    allow: { groups: [eng] }
`,
      't',
      {},
    );
    expect(config.guardrails.get('secrets')).toMatchObject({ type: 'secrets', action: 'mask' });
    expect(config.guardrails.get('injection')).toMatchObject({ threshold: 0.7, action: 'block' });
  });

  it('reports an invalid custom regex with its path instead of crashing', () => {
    const issues = issuesOf(
      `${base}guardrails:\n  pii: { type: pii, custom: [{ name: broken, pattern: '([a-z' }] }\n`,
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^guardrails\.pii\.custom\.0\.pattern: invalid regular expression/);
  });

  it('refuses a pattern that matches the empty string and an unknown entity', () => {
    const issues = issuesOf(
      `${base}guardrails:\n  pii: { type: pii, entities: [email, passport], custom: [{ name: anything, pattern: 'a*' }] }\n`,
    );
    expect(issues.map((issue) => issue.split(':')[0])).toEqual(
      expect.arrayContaining(['guardrails.pii.entities.1', 'guardrails.pii.custom.0.pattern']),
    );
  });

  it('refuses a request-only guardrail listed on the response stage', () => {
    const issues = issuesOf(`${base}guardrails:
  injection: { type: prompt_injection, stage: request }
endpoints:
  chat:
    targets: [{ provider: mock, model: m }]
    guardrails: { response: [injection] }
    allow: { groups: [eng] }
`);
    expect(issues).toEqual([
      'endpoints.chat.guardrails.response.0: guardrail "injection" is for the request stage only',
    ]);
  });
});
