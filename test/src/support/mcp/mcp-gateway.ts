import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { freePort, waitForHttp } from '@aigw/testing';
import { repoRoot, type RunningProcess, startNodeProcess } from '../child-process';
import { sha256, testKeys } from '../gateway-keys';

/** Keys of the MCP tests: alice and bob (group eng) may use the connections, carol may not. */
export const mcpKeys = {
  alice: testKeys.alice,
  bob: testKeys.bob,
  admin: testKeys.admin,
  carol: 'aigw-test-carol-key-0004',
} as const;

/** Secrets the gateway reads from its environment (never written into the config file). */
export const mcpSecrets = {
  subjectSecret: 'e2e-subject-token-secret-0123456789abcdef',
  clientSecret: 'e2e-oauth-client-secret-42',
  serviceToken: 'records-service-token-7d1c',
  credentialKey: randomBytes(32).toString('base64'),
} as const;

/** Where the server-everything stdio entry point lives. */
export function serverEverythingEntry(): string {
  return join(repoRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
}

export interface McpGatewayOptions {
  readonly recordsUrl: string;
  readonly tokenEndpointUrl: string;
  /** Cluster mode: gRPC ports of the services and the Kafka brokers. */
  readonly cluster?: { readonly kafkaBrokers: string; readonly ports: Record<string, number> };
}

/** The aigw.yaml of the MCP tests. */
export function mcpGatewayConfigYaml(
  port: number,
  dataDir: string,
  options: McpGatewayOptions,
): string {
  const cluster = options.cluster
    ? `  kafka:\n    brokers: ${options.cluster.kafkaBrokers}\n  services:\n${Object.entries(
        options.cluster.ports,
      )
        .map(([name, servicePort]) => `    ${name}: 127.0.0.1:${servicePort}`)
        .join('\n')}\n`
    : '';
  return `version: 1
runtime:
  # Test upstreams listen on loopback, which egress refuses unless allowed.
  egress:
    allow_private: [127.0.0.1, '::1', localhost]
  http: { host: 127.0.0.1, port: ${port} }
  data_dir: ${dataDir}
${cluster}principals:
  alice: { kind: user, groups: [eng] }
  bob: { kind: user, groups: [eng] }
  carol: { kind: user, groups: [sales] }
  admin: { roles: [admin] }
keys:
  - { sha256: ${sha256(mcpKeys.alice)}, principal: alice }
  - { sha256: ${sha256(mcpKeys.bob)}, principal: bob }
  - { sha256: ${sha256(mcpKeys.carol)}, principal: carol }
  - { sha256: ${sha256(mcpKeys.admin)}, principal: admin }
guardrails:
  pii-mask: { type: pii, action: mask, entities: [email] }
mcp:
  subject_token: { issuer: aigw-e2e, secret: "\${E2E_MCP_SUBJECT_SECRET}" }
  credential_key: \${E2E_MCP_CREDENTIAL_KEY}
  connections:
    everything:
      command: ${process.execPath}
      args: [${serverEverythingEntry()}, stdio]
      allow: { groups: [eng] }
      tools:
        deny: [get-env]
        grants:
          trigger-long-running-operation: { principals: [alice] }
      guardrails: { arguments: [pii-mask] }
    records-service:
      url: ${options.recordsUrl}
      auth: service
      service_credential: \${E2E_MCP_SERVICE_TOKEN}
      allow: { groups: [eng] }
      guardrails: { results: [pii-mask] }
    records-obo:
      url: ${options.recordsUrl}
      auth: obo
      credentials: per_user
      allow: { groups: [eng] }
    records-exchange:
      url: ${options.recordsUrl}
      auth: obo
      token_exchange:
        token_endpoint: ${options.tokenEndpointUrl}
        client_id: aigw
        client_secret: \${E2E_MCP_CLIENT_SECRET}
        audience: records
      allow: { groups: [eng] }
`;
}

/** The environment the gateway processes need for the config above. */
export function mcpGatewayEnv(configPath: string): Record<string, string> {
  return {
    AIGW_CONFIG: configPath,
    E2E_MCP_SUBJECT_SECRET: mcpSecrets.subjectSecret,
    E2E_MCP_CLIENT_SECRET: mcpSecrets.clientSecret,
    E2E_MCP_SERVICE_TOKEN: mcpSecrets.serviceToken,
    E2E_MCP_CREDENTIAL_KEY: mcpSecrets.credentialKey,
  };
}

/** A standalone gateway started from the built dist with the MCP config. */
export interface McpStandaloneGateway {
  readonly baseUrl: string;
  readonly process: RunningProcess;
  close(): Promise<void>;
}

export async function startMcpStandaloneGateway(
  options: McpGatewayOptions,
): Promise<McpStandaloneGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-mcp-'));
  const port = await freePort();
  const configPath = join(dir, 'aigw.yaml');
  writeFileSync(configPath, mcpGatewayConfigYaml(port, join(dir, 'data'), options));
  const gateway = startNodeProcess(
    'aigw',
    'services/standalone/dist/main.js',
    mcpGatewayEnv(configPath),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/readyz`, 60_000).catch((error: unknown) => {
    throw new Error(`gateway did not start: ${String(error)}\n${gateway.output()}`);
  });
  return {
    baseUrl,
    process: gateway,
    close: async () => {
      await gateway.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The official MCP SDK client, connected to `/mcp/<connection>` with a gateway key. */
export async function connectAgent(
  baseUrl: string,
  connection: string,
  key: string,
  headers: Record<string, string> = {},
): Promise<Client> {
  const client = new Client({ name: 'e2e-agent', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp/${connection}`), {
      requestInit: { headers: { authorization: `Bearer ${key}`, ...headers } },
    }),
  );
  return client;
}
