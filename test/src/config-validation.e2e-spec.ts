import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runToEnd } from './support/child-process';

describe('a bad config stops start-up with every problem and its path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-badconfig-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const badConfig = `version: 1
providers:
  openai:
    type: openai
    base_url: not-a-url
    api_key: \${AIGW_TEST_UNSET_VARIABLE}
endpoints:
  chat:
    targets:
      - provider: opena
        model: gpt-4o-mini
keys:
  - sha256: 1234
    principal: nobody
surprise: true
`;

  it('the standalone gateway exits non-zero and lists each bad field', async () => {
    const path = join(dir, 'aigw.yaml');
    writeFileSync(path, badConfig);
    const result = await runToEnd(process.execPath, ['services/standalone/dist/main.js'], {
      AIGW_CONFIG: path,
    });
    expect(result.code).toBe(1);
    for (const expected of [
      'providers.openai.base_url',
      'providers.openai.api_key: environment variable AIGW_TEST_UNSET_VARIABLE is not set',
      'keys.0.sha256',
      'surprise',
    ]) {
      expect(result.stderr).toContain(expected);
    }
  });

  it('`aigw config validate` reports the same, and accepts the shipped config', async () => {
    const path = join(dir, 'validate.yaml');
    writeFileSync(path, badConfig);
    const bad = await runToEnd(process.execPath, [
      'services/standalone/bin/aigw.js',
      'config',
      'validate',
      path,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('providers.openai.base_url');
    const good = await runToEnd(process.execPath, [
      'services/standalone/bin/aigw.js',
      'config',
      'validate',
      'aigw.yaml',
    ]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('valid');
  });

  it('a reference to an unknown provider is reported with its path once the schema is valid', async () => {
    const path = join(dir, 'refs.yaml');
    writeFileSync(
      path,
      `version: 1
providers:
  mock: { type: mock }
endpoints:
  chat:
    targets: [{ provider: opena, model: x }]
    guardrails: { request: [nope] }
`,
    );
    const result = await runToEnd(process.execPath, [
      'services/standalone/bin/aigw.js',
      'config',
      'validate',
      path,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('endpoints.chat.targets.0.provider: unknown provider "opena"');
    expect(result.stderr).toContain(
      'endpoints.chat.guardrails.request.0: unknown guardrail "nope"',
    );
  });
});
