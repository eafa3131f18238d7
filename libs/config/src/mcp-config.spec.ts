import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './config-loader';

function issuesOf(yaml: string): string[] {
  try {
    parseConfig(`version: 1\n${yaml}`, 'spec', { SECRET: 'x'.repeat(40) });
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    }
    throw error;
  }
  return [];
}

describe('mcp config', () => {
  it('accepts HTTP and stdio connections with each auth mode', () => {
    expect(
      issuesOf(`mcp:
  subject_token: { secret: "\${SECRET}" }
  credential_key: ${Buffer.alloc(32, 1).toString('base64')}
  connections:
    local: { command: npx, args: [-y, some-server], allow: { groups: [eng] } }
    shared: { url: "http://tools:8080/mcp", auth: service, service_credential: "\${SECRET}" }
    mine: { url: "http://tools:8080/mcp", auth: obo, credentials: per_user }
    exchanged:
      url: https://tools/mcp
      auth: obo
      token_exchange: { token_endpoint: "https://idp/token", client_id: aigw }
      tools: { allow: ["get-*"], deny: [get-env], grants: { deploy: { groups: [ops] } } }
      rate_limit: { per_principal: { requests_per_minute: 10 } }
`),
    ).toEqual([]);
  });

  it('names every inconsistent connection field', () => {
    const issues = issuesOf(`mcp:
  connections:
    both: { url: "http://a/mcp", command: x }
    neither: { allow: {} }
    service: { url: "http://a/mcp", auth: service }
    obo: { url: "http://a/mcp", auth: obo }
    exchange:
      url: http://a/mcp
      auth: obo
      token_exchange: { token_endpoint: "http://idp/token", client_id: aigw }
    peruser: { url: "http://a/mcp", auth: obo, credentials: per_user }
`);
    expect(issues).toEqual(
      expect.arrayContaining([
        'mcp.connections.both.url: give exactly one of url (Streamable HTTP) or command (stdio)',
        'mcp.connections.neither.url: give exactly one of url (Streamable HTTP) or command (stdio)',
        'mcp.connections.service.service_credential: auth: service needs a service_credential',
        'mcp.connections.obo.auth: auth: obo needs exactly one of token_exchange or credentials: per_user',
        'mcp.subject_token: connection "exchange" exchanges tokens: set mcp.subject_token',
        'mcp.credential_key: connection "peruser" stores per-user credentials: set mcp.credential_key',
      ]),
    );
  });

  it('refuses a credential key that is not 32 bytes', () => {
    expect(issuesOf(`mcp:\n  credential_key: c2hvcnQ=\n`)).toEqual([
      'mcp.credential_key: must be base64 of exactly 32 bytes (openssl rand -base64 32)',
    ]);
  });
});
