import {
  type AuthenticateRequest,
  type AuthenticateResponse,
  type AuthorizeRequest,
  AuthorizeOutcome,
  type AuthorizeResponse,
  type ListEndpointsRequest,
  type ListEndpointsResponse,
  type Principal,
} from '@aigw/contracts';
import { type CompiledEndpoint, type ConfigSource, type EndpointConfig } from '@aigw/config';
import { monotonicMs, roundMs } from '@aigw/core';
import { createEnvelope, type EventPublisher } from '@aigw/events';

const serviceName = 'policy';

/** True when the principal, or one of its groups, is on the endpoint's allow-list. */
export function isAllowed(endpoint: CompiledEndpoint, principal: Principal): boolean {
  if (endpoint.allowedPrincipals.has(principal.id)) return true;
  return principal.groups.some((group) => endpoint.allowedGroups.has(group));
}

/**
 * Decides who is asking and whether they may use an endpoint; returns the route and guardrail
 * plans. Deny by default: an endpoint nobody is listed for admits nobody.
 */
export class PolicyDecider {
  constructor(
    private readonly config: ConfigSource,
    private readonly events: EventPublisher,
  ) {}

  authorize(request: AuthorizeRequest): AuthorizeResponse {
    const started = monotonicMs();
    const config = this.config.current();
    const principal = config.principalsByKeyHash.get(request.credentialSha256);
    const endpoint = config.endpoints.get(request.endpoint);
    let response: AuthorizeResponse;
    if (!principal) {
      response = deny(AuthorizeOutcome.AUTHORIZE_OUTCOME_UNAUTHENTICATED, 'unknown or missing key');
    } else if (!endpoint) {
      response = deny(
        AuthorizeOutcome.AUTHORIZE_OUTCOME_UNKNOWN_ENDPOINT,
        `no endpoint named "${request.endpoint}"`,
        principal,
      );
    } else if (endpoint.config.kind !== endpointKindOf(request.operation)) {
      // An endpoint serves one API: for any other operation it does not exist (404).
      response = deny(
        AuthorizeOutcome.AUTHORIZE_OUTCOME_UNKNOWN_ENDPOINT,
        `endpoint "${endpoint.name}" serves ${endpoint.config.kind}, not ${request.operation}`,
        principal,
      );
    } else if (!isAllowed(endpoint, principal)) {
      response = deny(
        AuthorizeOutcome.AUTHORIZE_OUTCOME_DENIED,
        `principal "${principal.id}" may not use endpoint "${endpoint.name}"`,
        principal,
      );
    } else {
      response = {
        outcome: AuthorizeOutcome.AUTHORIZE_OUTCOME_ALLOWED,
        reason: '',
        principal,
        routePlan: {
          endpoint: endpoint.name,
          targets: endpoint.config.targets.map((target) => ({
            provider: target.provider,
            model: target.model,
            weight: target.weight,
            priority: target.priority,
          })),
        },
        guardrailPlan: {
          request: endpoint.config.guardrails.request,
          response: endpoint.config.guardrails.response,
        },
      };
    }
    this.events.publish(
      createEnvelope(
        serviceName,
        {
          requestId: request.requestId,
          traceId: request.traceId,
          principal: response.principal,
          endpoint: request.endpoint,
          tags: request.tags,
        },
        {
          $case: 'policyDecided',
          value: {
            decision: decisionName(response.outcome),
            reason: response.reason,
            targets: response.routePlan?.targets.map((t) => `${t.provider}/${t.model}`) ?? [],
            latencyMs: roundMs(monotonicMs() - started),
          },
        },
      ),
    );
    return response;
  }

  authenticate(request: AuthenticateRequest): AuthenticateResponse {
    const principal = this.config.current().principalsByKeyHash.get(request.credentialSha256);
    return { authenticated: principal !== undefined, principal };
  }

  listEndpoints(request: ListEndpointsRequest): ListEndpointsResponse {
    const config = this.config.current();
    const principal = config.principalsByKeyHash.get(request.credentialSha256);
    if (!principal) return { authenticated: false, endpoints: [] };
    const created = Math.floor(config.loadedAt.getTime() / 1000);
    const endpoints = [...config.endpoints.values()]
      .filter((endpoint) => isAllowed(endpoint, principal))
      .map((endpoint) => ({ name: endpoint.name, kind: endpoint.config.kind, created }));
    return { authenticated: true, endpoints };
  }
}

/** The endpoint kind that serves an API operation; every operation but embeddings is chat. */
export function endpointKindOf(operation: string): EndpointConfig['kind'] {
  return operation === 'embeddings' ? 'embeddings' : 'chat';
}

function deny(outcome: AuthorizeOutcome, reason: string, principal?: Principal): AuthorizeResponse {
  return { outcome, reason, principal, routePlan: undefined, guardrailPlan: undefined };
}

function decisionName(outcome: AuthorizeOutcome): string {
  switch (outcome) {
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_ALLOWED:
      return 'allowed';
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_DENIED:
      return 'denied';
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_UNAUTHENTICATED:
      return 'unauthenticated';
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_UNKNOWN_ENDPOINT:
      return 'unknown_endpoint';
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_UNSPECIFIED:
    case AuthorizeOutcome.UNRECOGNIZED:
      return 'unspecified';
  }
}
