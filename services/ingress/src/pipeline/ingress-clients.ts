import {
  type AnalyticsServiceClient,
  type GuardrailServiceClient,
  type McpBrokerServiceClient,
  type PolicyServiceClient,
  type RouterServiceClient,
} from '@aigw/contracts';

/** The services ingress calls: gRPC clients in cluster mode, in-process adapters standalone. */
export interface IngressClients {
  readonly policy: PolicyServiceClient;
  readonly guardrails: GuardrailServiceClient;
  readonly router: RouterServiceClient;
  readonly mcp: McpBrokerServiceClient;
  readonly analytics: AnalyticsServiceClient;
}
