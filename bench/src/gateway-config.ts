import { sha256Hex } from '@aigw/core';

/** The gateway key the benchmark sends; only its SHA-256 goes into the config. */
export const benchApiKey = 'aigw-bench-key-0f3c9a';

/** The endpoint (`model` in requests to aigw) and the upstream model it targets. */
export const benchEndpoint = 'bench';
export const upstreamModel = 'gpt-4o-mini';

export interface BenchConfigOptions {
  readonly port: number;
  readonly dataDir: string;
  /** The mock's base URL, ending in `/v1`. */
  readonly upstreamBaseUrl: string;
}

/**
 * aigw.yaml for the benchmark: one endpoint with the whole governed path switched on
 * (key authentication, an allow list, the PII masker on the request, events to the embedded log).
 */
export function benchConfigYaml(options: BenchConfigOptions): string {
  return `version: 1
runtime:
  # The test upstreams listen on loopback, which egress refuses unless allowed.
  egress:
    allow_private: [127.0.0.1, '::1', localhost]
  http:
    host: 127.0.0.1
    port: ${options.port}
  data_dir: ${JSON.stringify(options.dataDir)}
providers:
  upstream:
    type: openai
    base_url: ${options.upstreamBaseUrl}
endpoints:
  ${benchEndpoint}:
    targets:
      - provider: upstream
        model: ${upstreamModel}
    guardrails:
      request: [pii]
    allow:
      principals: [bench]
principals:
  bench:
    kind: service
keys:
  - sha256: ${sha256Hex(benchApiKey)}
    principal: bench
    name: benchmark key
guardrails:
  pii:
    type: pii
    action: mask
`;
}
