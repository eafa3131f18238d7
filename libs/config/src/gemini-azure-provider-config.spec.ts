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

describe('gemini and azure_openai providers', () => {
  it('fills defaults and reads the key from the environment', () => {
    const config = parseConfig(
      `version: 1
providers:
  google:
    type: gemini
    api_key: \${GEMINI_KEY}
    retry: { max_attempts: 3 }
  azure:
    type: azure_openai
    endpoint: https://res.openai.azure.com
    api_key: \${AZURE_KEY}
    deployments: { gpt-4o: prod-4o }
`,
      't',
      { GEMINI_KEY: 'g-secret', AZURE_KEY: 'a-secret' },
    );
    expect(config.providers.get('google')).toEqual({
      type: 'gemini',
      base_url: 'https://generativelanguage.googleapis.com',
      api_key: 'g-secret',
      api_version: 'v1beta',
      timeout_ms: 60_000,
      retry: { max_attempts: 3 },
    });
    expect(config.providers.get('azure')).toEqual({
      type: 'azure_openai',
      endpoint: 'https://res.openai.azure.com',
      api_key: 'a-secret',
      api_version: '2024-10-21',
      deployments: { 'gpt-4o': 'prod-4o' },
      timeout_ms: 60_000,
    });
  });

  it('reports every invalid field with its path', () => {
    expect(
      issuesOf(`version: 1
providers:
  google: { type: gemini, api_version: "1beta", region: eu }
  azure: { type: azure_openai, deployments: { gpt: "bad name" } }
`),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^providers\.google\.api_version: must be like v1beta/),
        expect.stringMatching(/^providers\.google: .*region/),
        expect.stringMatching(/^providers\.azure\.endpoint: /),
        expect.stringMatching(/^providers\.azure\.deployments\.gpt: /),
      ]),
    );
  });
});
