import { testKeys, sha256 } from './gateway-keys';

export interface GatewayConfigOptions {
  readonly httpPort: number;
  readonly dataDir: string;
  readonly upstreamBaseUrl: string;
  /** A base URL where nothing listens: the first target, to prove fallback. */
  readonly deadBaseUrl: string;
  readonly kafkaBrokers?: string;
  readonly servicePorts?: {
    policy: number;
    /** Several ports: one replica on each, listed in one address. */
    guardrail_judge: number | readonly number[];
    provider_router: number;
    mcp_broker: number;
    analytics_sink: number;
  };
  /** More endpoints, as YAML lines indented under `endpoints:` (two spaces). */
  readonly extraEndpointsYaml?: string;
  /** More guardrails, as YAML lines indented under `guardrails:` (two spaces). */
  readonly extraGuardrailsYaml?: string;
}

/** The aigw.yaml the e2e tests run with. The upstream key is an ${ENV} reference. */
export function gatewayConfigYaml(options: GatewayConfigOptions): string {
  const services = options.servicePorts
    ? `  services:\n${Object.entries(options.servicePorts)
        .map(
          ([name, ports]) =>
            `    ${name}: ${[ports]
              .flat()
              .map((port) => `127.0.0.1:${port}`)
              .join(',')}`,
        )
        .join('\n')}\n`
    : '';
  const kafka = options.kafkaBrokers ? `  kafka:\n    brokers: ${options.kafkaBrokers}\n` : '';
  return `version: 1
runtime:
  # The test upstreams listen on loopback, which egress refuses unless allowed.
  egress:
    allow_private: [127.0.0.1, '::1', localhost]
  http:
    host: 127.0.0.1
    port: ${options.httpPort}
  data_dir: ${options.dataDir}
${kafka}${services}providers:
  mock:
    type: mock
  upstream:
    type: openai
    base_url: ${options.upstreamBaseUrl}
    api_key: \${E2E_UPSTREAM_KEY}
  dead:
    type: openai
    base_url: ${options.deadBaseUrl}
    timeout_ms: 3000
    # One try per request and no breaker, so every request shows exactly one failed attempt
    # at the dead target before the fall-back (retries and breaking have their own int-specs).
    retry: { max_attempts: 1 }
    circuit_breaker: { enabled: false }
endpoints:
  chat:
    targets:
      - provider: dead
        model: dead-model
      - provider: upstream
        model: gpt-4o-mini
    guardrails:
      request: [pii-mask]
    allow:
      groups: [eng]
  strict:
    targets:
      - provider: mock
        model: mock-strict
    guardrails:
      request: [pii-block]
    allow:
      groups: [eng]
  private:
    targets:
      - provider: mock
        model: mock-private
    allow:
      principals: [bob]
${options.extraEndpointsYaml ?? ''}principals:
  alice:
    kind: user
    groups: [eng]
  bob:
    kind: service
  admin:
    roles: [admin]
keys:
  - sha256: ${sha256(testKeys.alice)}
    principal: alice
  - sha256: ${sha256(testKeys.bob)}
    principal: bob
  - sha256: ${sha256(testKeys.admin)}
    principal: admin
guardrails:
  pii-mask:
    type: pii
    action: mask
  pii-block:
    type: pii
    action: block
    entities: [email]
${options.extraGuardrailsYaml ?? ''}`;
}

export const upstreamKey = 'sk-e2e-upstream-secret-9f8e7d';
