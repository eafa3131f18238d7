import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './config-loader';

const base = `version: 1
providers: { mock: { type: mock } }
principals: { alice: { groups: [eng] } }
endpoints:
  judge:
    targets: [{ provider: mock, model: judge-model }]
    allow: { groups: [eng] }
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

describe('llm judge guardrail config', () => {
  it('fills in the timeout, error policy and action', () => {
    const config = parseConfig(
      `${base}guardrails:\n  safety: { type: llm_judge, kind: content_safety, endpoint: judge }\n`,
      't',
      {},
    );
    expect(config.guardrails.get('safety')).toEqual({
      type: 'llm_judge',
      kind: 'content_safety',
      endpoint: 'judge',
      timeout_ms: 5000,
      on_error: 'fail_closed',
      action: 'block',
    });
  });

  it('reports an unknown judge endpoint with its path', () => {
    expect(
      issuesOf(
        `${base}guardrails:\n  grounded: { type: llm_judge, kind: hallucination, endpoint: nowhere }\n`,
      ),
    ).toEqual(['guardrails.grounded.endpoint: unknown endpoint "nowhere"']);
  });

  it('asks a custom judge for its prompt and refuses a bad error policy', () => {
    const issues = issuesOf(
      `${base}guardrails:
  mine: { type: llm_judge, kind: custom, endpoint: judge }
  loose: { type: llm_judge, kind: content_safety, endpoint: judge, on_error: ignore }
`,
    );
    expect(issues).toContain('guardrails.mine.prompt: a custom judge needs a prompt');
    expect(issues.some((issue) => issue.startsWith('guardrails.loose.on_error:'))).toBe(true);
  });
});
