import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './config-loader';

function withServices(services: string): string {
  return `version: 1
runtime:
  services:
${services}
`;
}

function issuesOf(yaml: string): string[] {
  try {
    parseConfig(yaml, 'test.yaml', {});
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('runtime.services addresses', () => {
  it('accepts one host:port, a list of replicas by IP, and a scheme target', () => {
    const config = parseConfig(
      withServices(
        [
          '    policy: policy:50051',
          '    guardrail_judge: 127.0.0.1:6001,127.0.0.1:6002, 127.0.0.1:6003',
          '    provider_router: "[::1]:6004,[::1]:6005"',
          '    mcp_broker: dns:///mcp-broker.svc:50054',
        ].join('\n'),
      ),
      't',
      {},
    );
    expect(config.raw.runtime.services).toMatchObject({
      policy: 'policy:50051',
      guardrail_judge: '127.0.0.1:6001,127.0.0.1:6002, 127.0.0.1:6003',
      provider_router: '[::1]:6004,[::1]:6005',
      mcp_broker: 'dns:///mcp-broker.svc:50054',
      analytics_sink: '127.0.0.1:50055',
    });
  });

  it('reports every bad address with its path: no port, a list of names, mixed families', () => {
    const issues = issuesOf(
      withServices(
        [
          '    policy: policy',
          '    guardrail_judge: judge-a:6001,judge-b:6002',
          '    provider_router: "127.0.0.1:6004,[::1]:6005"',
        ].join('\n'),
      ),
    );
    expect(issues).toHaveLength(3);
    expect(issues.map((issue) => issue.split(':')[0])).toEqual([
      'runtime.services.policy',
      'runtime.services.guardrail_judge',
      'runtime.services.provider_router',
    ]);
  });
});
