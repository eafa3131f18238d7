import {
  AnalyticsServiceDefinition,
  GuardrailServiceDefinition,
  McpBrokerServiceDefinition,
  PolicyServiceDefinition,
  RouterServiceDefinition,
} from '@aigw/contracts';
import { type CompiledConfig } from '@aigw/config';
import { createServiceChannel, createServiceClient } from '@aigw/transport';
import { type IngressClients } from './pipeline/ingress-clients';
import { retryingGuardrailClient } from './retrying-guardrail-client';

/** gRPC clients to every service ingress calls, over channels created once (cluster mode). */
export function createGrpcIngressClients(config: CompiledConfig): IngressClients {
  const services = config.raw.runtime.services;
  return {
    policy: createServiceClient(PolicyServiceDefinition, createServiceChannel(services.policy)),
    // Stateless replicas: an evaluation lost with a dying replica is sent to another.
    guardrails: retryingGuardrailClient(
      createServiceClient(
        GuardrailServiceDefinition,
        createServiceChannel(services.guardrail_judge),
      ),
    ),
    router: createServiceClient(
      RouterServiceDefinition,
      createServiceChannel(services.provider_router),
    ),
    mcp: createServiceClient(McpBrokerServiceDefinition, createServiceChannel(services.mcp_broker)),
    analytics: createServiceClient(
      AnalyticsServiceDefinition,
      createServiceChannel(services.analytics_sink),
    ),
  };
}
