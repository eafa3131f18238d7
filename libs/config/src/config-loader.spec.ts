import { PrincipalKind } from '@aigw/contracts';
import { sha256Hex } from '@aigw/core';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './config-loader';

const demoKey = 'aigw-demo-key';
const botKey = 'ci-bot-key';

// Shaped like the shipped aigw.yaml, plus a real provider, a service principal and a second endpoint.
const validYaml = `version: 1
runtime:
  http:
    host: \${AIGW_HOST:-127.0.0.1}
    port: \${AIGW_PORT:-8080}
  data_dir: \${AIGW_DATA_DIR:-./data}
providers:
  mock:
    type: mock
  openai:
    type: openai
    base_url: https://api.openai.com/v1
    api_key: \${OPENAI_API_KEY}
endpoints:
  chat:
    targets:
      - provider: openai
        model: gpt-4o-mini
      - provider: mock
        model: mock-gpt
        weight: 3
    guardrails:
      request: [pii-mask]
    allow:
      groups: [developers]
  ops:
    targets: [{ provider: mock, model: mock-gpt }]
    allow:
      principals: [ci-bot]
principals:
  demo:
    kind: user
    groups: [developers]
    roles: [admin, analytics]
  ci-bot:
    kind: service
    tags: { team: platform }
keys:
  - sha256: ${sha256Hex(demoKey)}
    principal: demo
    name: demo key
  - sha256: ${sha256Hex(botKey)}
    principal: ci-bot
guardrails:
  pii-mask:
    type: pii
    action: mask
    entities: [email, phone]
`;

const env = { OPENAI_API_KEY: 'sk-test-0123456789' };

function issuesOf(text: string, environment: NodeJS.ProcessEnv = env): ConfigError {
  try {
    parseConfig(text, 'bad.yaml', environment);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseConfig with a valid file', () => {
  it('compiles endpoints with their targets in order and allow-lists as sets', () => {
    const config = parseConfig(validYaml, 'aigw.yaml', env);

    const chat = config.endpoints.get('chat')!;
    expect(chat.name).toBe('chat');
    expect(chat.config.kind).toBe('chat');
    expect(chat.config.targets).toEqual([
      { provider: 'openai', model: 'gpt-4o-mini', weight: 1 },
      { provider: 'mock', model: 'mock-gpt', weight: 3 },
    ]);
    expect(chat.config.guardrails).toEqual({ request: ['pii-mask'], response: [] });
    expect([...chat.allowedGroups]).toEqual(['developers']);
    expect([...chat.allowedPrincipals]).toEqual([]);
    expect([...config.endpoints.get('ops')!.allowedPrincipals]).toEqual(['ci-bot']);
    expect(config.endpoints.get('missing')).toBeUndefined();
    expect(config.source).toBe('aigw.yaml');
  });

  it('maps the SHA-256 of each key to its principal', () => {
    const config = parseConfig(validYaml, 'aigw.yaml', env);

    expect(config.principalsByKeyHash.get(sha256Hex(demoKey))).toEqual({
      id: 'demo',
      kind: PrincipalKind.PRINCIPAL_KIND_USER,
      groups: ['developers'],
      roles: ['admin', 'analytics'],
      tags: {},
    });
    expect(config.principalsByKeyHash.get(sha256Hex(botKey))).toEqual({
      id: 'ci-bot',
      kind: PrincipalKind.PRINCIPAL_KIND_SERVICE,
      groups: [],
      roles: [],
      tags: { team: 'platform' },
    });
    // The key itself is not a lookup key: only its hash is.
    expect(config.principalsByKeyHash.get(demoKey)).toBeUndefined();
    expect(config.principalsByKeyHash.size).toBe(2);
  });

  it('fills providers, guardrails and runtime with their defaults', () => {
    const config = parseConfig(validYaml, 'aigw.yaml', env);

    expect(config.providers.get('openai')).toEqual({
      type: 'openai',
      base_url: 'https://api.openai.com/v1',
      api_key: 'sk-test-0123456789',
      timeout_ms: 60_000,
    });
    expect(config.providers.get('mock')).toEqual({ type: 'mock', latency_ms: 0 });
    expect(config.guardrails.get('pii-mask')).toEqual({
      type: 'pii',
      action: 'mask',
      entities: ['email', 'phone'],
    });
    expect(config.raw.runtime.http).toEqual({
      host: '127.0.0.1',
      port: 8080,
      body_limit_bytes: 4 * 1024 * 1024,
      request_timeout_ms: 60_000,
    });
    expect(config.raw.runtime.clickhouse).toEqual({ mode: 'embedded' });
    expect(config.raw.runtime.services.policy).toBe('127.0.0.1:50051');
    expect(config.raw.runtime.kafka).toBeUndefined();
  });

  it('takes ${VAR:-default} from the environment when set, else the default', () => {
    const fromDefaults = parseConfig(validYaml, 'aigw.yaml', env);
    const fromEnv = parseConfig(validYaml, 'aigw.yaml', {
      ...env,
      AIGW_HOST: '0.0.0.0',
      AIGW_PORT: '9090',
      AIGW_DATA_DIR: '/var/lib/aigw',
    });

    expect(fromDefaults.raw.runtime.http.host).toBe('127.0.0.1');
    expect(fromDefaults.raw.runtime.data_dir).toBe('./data');
    expect(fromEnv.raw.runtime.http.host).toBe('0.0.0.0');
    // A port from the environment is text; the schema turns it into a number.
    expect(fromEnv.raw.runtime.http.port).toBe(9090);
    expect(fromEnv.raw.runtime.data_dir).toBe('/var/lib/aigw');
  });

  it('reads Kafka brokers as a comma-separated list', () => {
    const config = parseConfig(
      'version: 1\nruntime:\n  kafka:\n    brokers: ${BROKERS}\n',
      'aigw.yaml',
      { BROKERS: 'kafka-1:9092, kafka-2:9092,' },
    );

    expect(config.raw.runtime.kafka).toEqual({
      brokers: ['kafka-1:9092', 'kafka-2:9092'],
      client_id: 'aigw',
    });
  });

  it('accepts a file with only the version', () => {
    const config = parseConfig('version: 1\n', 'aigw.yaml', {});

    expect(config.endpoints.size).toBe(0);
    expect(config.principalsByKeyHash.size).toBe(0);
  });
});

describe('parseConfig with an invalid file', () => {
  it('reports every bad field at once, each with its dotted path', () => {
    const error = issuesOf(
      `version: 2
providers:
  openai:
    type: openai
    base_url: \${OPENAI_BASE_URL}
endpoints:
  chat:
    targets:
      - provider: opena
        model: gpt-4o-mini
    guardrails:
      response: [toxicity]
principals:
  demo: {}
keys:
  - sha256: ABCDEF
    principal: demo
  - sha256: ${sha256Hex(demoKey)}
    principal: nobody
surprise: true
`,
      {},
    );

    expect(error.source).toBe('bad.yaml');
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { path: 'version', message: expect.stringContaining('expected 1') },
        {
          path: 'providers.openai.base_url',
          message: 'environment variable OPENAI_BASE_URL is not set',
        },
        { path: 'endpoints.chat.targets.0.provider', message: 'unknown provider "opena"' },
        {
          path: 'endpoints.chat.guardrails.response.0',
          message: 'unknown guardrail "toxicity"',
        },
        { path: 'keys.0.sha256', message: 'must be the lower-case hex SHA-256 of the key' },
        { path: 'keys.1.principal', message: 'unknown principal "nobody"' },
        // An unknown field is reported at its parent (here the root), naming the field.
        { path: '', message: expect.stringContaining('"surprise"') },
      ]),
    );
    const paths = new Set(error.issues.map((issue) => issue.path));
    expect([...paths].sort()).toEqual([
      '',
      'endpoints.chat.guardrails.response.0',
      'endpoints.chat.targets.0.provider',
      'keys.0.sha256',
      'keys.1.principal',
      'providers.openai.base_url',
      'version',
    ]);
  });

  it('lists every issue, and the file name, in the error message', () => {
    const error = issuesOf('version: 2\nkeys:\n  - sha256: nope\n    principal: ghost\n');

    expect(error.message).toContain('invalid config bad.yaml');
    expect(error.message).toContain('  - version: ');
    expect(error.message).toContain('  - keys.0.sha256: must be the lower-case hex SHA-256');
    expect(error.message).toContain('  - keys.0.principal: unknown principal "ghost"');
  });

  it('reports YAML that does not parse as one issue at the root', () => {
    const error = issuesOf('version: 1\nproviders: [mock\n');

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.path).toBe('');
    expect(error.issues[0]!.message).toMatch(/^not valid YAML: /);
    expect(error.message).toContain('(root): not valid YAML');
  });

  it('reports an empty file as missing its version', () => {
    const error = issuesOf('');

    expect(error.issues).toEqual([{ path: 'version', message: expect.any(String) }]);
  });

  it('names the path of the field that referenced a missing variable, inside lists too', () => {
    const error = issuesOf(
      'version: 1\nruntime:\n  kafka:\n    brokers: [kafka-1:9092, "${KAFKA_2}"]\n',
      {},
    );

    expect(error.issues).toContainEqual({
      path: 'runtime.kafka.brokers.1',
      message: 'environment variable KAFKA_2 is not set',
    });
  });

  it('treats a variable set to the empty string as missing', () => {
    const error = issuesOf(validYaml, { OPENAI_API_KEY: '' });

    expect(error.issues).toContainEqual({
      path: 'providers.openai.api_key',
      message: 'environment variable OPENAI_API_KEY is not set',
    });
  });

  it('checks references in allow-lists and rejects a key listed twice', () => {
    const error = issuesOf(`version: 1
providers: { mock: { type: mock } }
endpoints:
  chat:
    targets: [{ provider: mock, model: m }]
    allow: { principals: [demo, ghost], groups: [developers, nobody-here] }
principals:
  demo: { groups: [developers] }
keys:
  - { sha256: ${sha256Hex(demoKey)}, principal: demo }
  - { sha256: ${sha256Hex(demoKey)}, principal: demo }
`);

    expect(error.issues).toEqual([
      { path: 'endpoints.chat.allow.principals.1', message: 'unknown principal "ghost"' },
      {
        path: 'endpoints.chat.allow.groups.1',
        message: 'no principal is in group "nobody-here"',
      },
      { path: 'keys.1.sha256', message: 'the same key is listed twice' },
    ]);
  });

  it('counts a provider with an invalid field as defined when checking targets', () => {
    const error = issuesOf(`version: 1
providers:
  openai: { type: openai, base_url: not-a-url }
endpoints:
  chat:
    targets: [{ provider: openai, model: gpt-4o-mini }]
`);

    expect(error.issues.map((issue) => issue.path)).toEqual(['providers.openai.base_url']);
  });
});

describe('secrets in error messages', () => {
  const secret = 'sk-live-DO-NOT-PRINT-42';

  it('never shows the value of a variable, even when fields around it are wrong', () => {
    const error = issuesOf(
      `version: 1
providers:
  openai:
    type: openai
    base_url: not-a-url
    api_key: \${OPENAI_API_KEY}
    timeout_ms: \${OPENAI_API_KEY}
  typo:
    type: openai
    base_url: https://api.openai.com/v1
    api-key: \${OPENAI_API_KEY}
runtime:
  clickhouse:
    mode: http
    url: \${OPENAI_API_KEY}
    password: \${OPENAI_API_KEY}
`,
      { OPENAI_API_KEY: secret },
    );

    // The fields are reported; the secret they hold is not.
    expect(error.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        'providers.openai.base_url',
        'providers.openai.timeout_ms',
        'providers.typo',
        'runtime.clickhouse.url',
      ]),
    );
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error.issues)).not.toContain(secret);
  });

  it('names a missing variable, not any value', () => {
    const error = issuesOf(validYaml, {});

    expect(error.issues).toContainEqual({
      path: 'providers.openai.api_key',
      message: 'environment variable OPENAI_API_KEY is not set',
    });
  });
});
