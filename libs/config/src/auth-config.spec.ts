import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './config-loader';

function issuesOf(yaml: string): string[] {
  try {
    parseConfig(yaml, 'aigw.yaml', {});
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('auth config', () => {
  it('accepts an issuer with a JWKS URL and fills the defaults', () => {
    const config = parseConfig(
      `version: 1
auth:
  jwt:
    issuers:
      corp:
        issuer: https://login.example.com/
        audiences: [aigw]
        jwks_url: https://login.example.com/keys
        groups_claim: realm_access.groups
        roles: { claim: roles, admin: [aigw-admin] }
`,
      'aigw.yaml',
      {},
    );
    expect(config.raw.auth.jwt.issuers['corp']).toMatchObject({
      algorithms: ['RS256', 'ES256'],
      clock_tolerance_s: 30,
      principal_claim: 'sub',
      require_expiry: true,
      roles: { claim: 'roles', admin: ['aigw-admin'], analytics: [] },
    });
    expect(config.raw.auth.keys).toEqual({ store: 'auto', max_expiry_days: 0 });
  });

  it('reports every problem with its path: no key source, alg none, HMAC, empty audience', () => {
    const issues = issuesOf(`version: 1
auth:
  jwt:
    issuers:
      corp:
        issuer: https://login.example.com/
        audiences: []
        algorithms: [none, HS256]
        groups_claim: "a..b"
`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^auth\.jwt\.issuers\.corp\.audiences: /),
        expect.stringMatching(/^auth\.jwt\.issuers\.corp\.algorithms\.0: /),
        expect.stringMatching(/^auth\.jwt\.issuers\.corp\.algorithms\.1: /),
        expect.stringMatching(/^auth\.jwt\.issuers\.corp\.groups_claim: /),
      ]),
    );
  });

  it('wants exactly one of jwks_url and jwks', () => {
    const issues = issuesOf(`version: 1
auth:
  jwt:
    issuers:
      corp:
        issuer: x
        audiences: [aigw]
        jwks_url: https://login.example.com/keys
        jwks: { keys: [{ kty: RSA }] }
`);
    expect(issues).toContain(
      'auth.jwt.issuers.corp.jwks_url: give exactly one of jwks_url or jwks',
    );
  });

  it('checks runtime.redis is a redis URL', () => {
    expect(issuesOf('version: 1\nruntime: { redis: { url: "http://x" } }\n')).toEqual([
      expect.stringMatching(/^runtime\.redis\.url: /),
    ]);
  });
});

describe('groups whose members come at run time', () => {
  const allowing = (extra: string) => `version: 1
providers: { mock: { type: mock } }
endpoints:
  chat:
    targets: [{ provider: mock, model: m }]
    allow: { groups: [data-eng] }
${extra}`;

  it('accepts an allow-listed group declared under groups:, with no configured member', () => {
    expect(issuesOf(allowing('groups:\n  data-eng: {}\n'))).toEqual([]);
  });

  it('still refuses an allow-listed group that nothing declares', () => {
    expect(issuesOf(allowing(''))).toEqual([
      'endpoints.chat.allow.groups.0: no principal is in group "data-eng"',
    ]);
  });
});

describe('JWKS transport', () => {
  const withUrl = (url: string) => `version: 1
auth:
  jwt:
    issuers:
      corp: { issuer: x, audiences: [aigw], jwks_url: "${url}" }
`;

  it('wants https for signing keys, except from this machine', () => {
    expect(issuesOf(withUrl('http://idp.example.com/keys'))).toEqual([
      'auth.jwt.issuers.corp.jwks_url: must be https (plain http only for localhost)',
    ]);
    expect(issuesOf(withUrl('http://127.0.0.1:8081/keys'))).toEqual([]);
    expect(issuesOf(withUrl('https://idp.example.com/keys'))).toEqual([]);
  });
});
