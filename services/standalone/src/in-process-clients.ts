import { analyticsInProcessClient, type SinkWorker } from '@aigw/analytics-sink';
import { type FactoryProvider } from '@nestjs/common';
import { GuardrailJudge, guardrailInProcessClient } from '@aigw/guardrail-judge';
import { type GuardrailServiceClient, type RouterServiceClient } from '@aigw/contracts';
import { type IngressClients } from '@aigw/ingress';
import { ConnectionDirectory, McpBroker, mcpBrokerInProcessClient } from '@aigw/mcp-broker';
import { ApiKeyService, PolicyDecider, policyInProcessClient } from '@aigw/policy';
import { ProviderRouter, routerInProcessClient } from '@aigw/provider-router';

/** Standalone: every service client calls its use case in the same process, no sockets. */
export function inProcessClientsProvider(
  sink: SinkWorker,
): Omit<FactoryProvider<IngressClients>, 'provide'> {
  return {
    useFactory: (
      policy: PolicyDecider,
      guardrails: GuardrailJudge,
      router: ProviderRouter,
      connections: ConnectionDirectory,
      keys: ApiKeyService,
      broker: McpBroker,
    ): IngressClients => ({
      policy: policyInProcessClient(policy, keys),
      guardrails: guardrailInProcessClient(guardrails),
      router: routerInProcessClient(router),
      mcp: mcpBrokerInProcessClient(connections, broker),
      analytics: analyticsInProcessClient(sink.sink),
    }),
    inject: [
      PolicyDecider,
      GuardrailJudge,
      ProviderRouter,
      ConnectionDirectory,
      ApiKeyService,
      McpBroker,
    ],
  };
}

/** Standalone: LLM-judge guardrails reach their models through the in-process router. */
export function inProcessRouterClientProvider(): Omit<
  FactoryProvider<RouterServiceClient>,
  'provide'
> {
  return {
    useFactory: (router: ProviderRouter) => routerInProcessClient(router),
    inject: [ProviderRouter],
  };
}

/** Standalone: mcp-broker guards tool arguments and results with the in-process judge. */
export function inProcessGuardrailClientProvider(): Omit<
  FactoryProvider<GuardrailServiceClient>,
  'provide'
> {
  return {
    useFactory: (judge: GuardrailJudge) => guardrailInProcessClient(judge),
    inject: [GuardrailJudge],
  };
}
