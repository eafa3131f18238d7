import {
  type AuthenticateRequest,
  type AuthenticateResponse,
  type AuthorizeRequest,
  AuthorizeOutcome,
  type AuthorizeResponse,
  type ListEndpointsRequest,
  type ListEndpointsResponse,
  type Principal,
  type SettleRequest,
  type SettleResponse,
} from '@aigw/contracts';
import { type CompiledEndpoint, type ConfigSource, type EndpointConfig } from '@aigw/config';
import { monotonicMs, roundMs } from '@aigw/core';
import { createEnvelope, type EventPublisher } from '@aigw/events';
import { type IdentityResolver } from './identity/identity-resolver';
import { type LimitGate } from './limits/limit-gate';
import { limitEventFields, withLimitDecision } from './limits/limit-response';

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
    private readonly identity: IdentityResolver,
    /** Rate limits and budgets; without it nothing is limited. */
    private readonly limits?: LimitGate,
  ) {}

  async authorize(request: AuthorizeRequest): Promise<AuthorizeResponse> {
    const started = monotonicMs();
    const authentication = await this.identity.authenticate(request);
    const config = this.config.current();
    const principal = authentication.ok ? authentication.principal : undefined;
    const endpoint = config.endpoints.get(request.endpoint);
    let response: AuthorizeResponse;
    if (!authentication.ok || !principal) {
      const reason = authentication.ok ? 'unknown or missing key' : authentication.reason;
      response = deny(AuthorizeOutcome.AUTHORIZE_OUTCOME_UNAUTHENTICATED, reason);
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
        reservation: '',
        rateLimit: undefined,
        maxOutputTokens: 0,
      };
    }
    // Limits last: only a request that may run reserves anything.
    const limited =
      this.limits && endpoint && principal && response.routePlan
        ? await this.limits.admit({
            config,
            endpoint,
            principal,
            request,
            routePlan: response.routePlan,
          })
        : undefined;
    if (limited) response = withLimitDecision(response, limited);
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
            ...limitEventFields(limited),
          },
        },
      ),
    );
    return response;
  }

  /** Settles a reservation made by authorize; see LimitGate.settle. */
  async settle(request: SettleRequest): Promise<SettleResponse> {
    return this.limits ? this.limits.settle(request) : { settled: false };
  }

  async authenticate(request: AuthenticateRequest): Promise<AuthenticateResponse> {
    const authentication = await this.identity.authenticate(request);
    return authentication.ok
      ? { authenticated: true, principal: authentication.principal, reason: '' }
      : { authenticated: false, principal: undefined, reason: authentication.reason };
  }

  async listEndpoints(request: ListEndpointsRequest): Promise<ListEndpointsResponse> {
    const authentication = await this.identity.authenticate(request);
    if (!authentication.ok) return { authenticated: false, endpoints: [] };
    const principal = authentication.principal;
    const config = this.config.current();
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
  return {
    outcome,
    reason,
    principal,
    routePlan: undefined,
    guardrailPlan: undefined,
    reservation: '',
    rateLimit: undefined,
    maxOutputTokens: 0,
  };
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
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_RATE_LIMITED:
      return 'rate_limited';
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_LIMITS_UNAVAILABLE:
      return 'limits_unavailable';
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_UNSPECIFIED:
    case AuthorizeOutcome.UNRECOGNIZED:
      return 'unspecified';
  }
}
