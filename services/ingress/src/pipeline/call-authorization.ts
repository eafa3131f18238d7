import {
  AuthorizeOutcome,
  type AuthorizeResponse,
  type PolicyServiceClient,
} from '@aigw/contracts';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { type CallState } from './call-state';
import { unauthenticatedError } from './credentials';
import { type LimitDemand } from './limit-demand';

/** Asks policy whether this caller may use the endpoint; refusals become gateway errors. */
export async function authorizeCall(
  policy: PolicyServiceClient,
  state: CallState,
  demand?: LimitDemand,
): Promise<AuthorizeResponse> {
  const { call, context } = state;
  if (!call.credentialSha256) {
    throw new GatewayError(
      GatewayErrorCode.Unauthenticated,
      'Missing API key: send "Authorization: Bearer <gateway key>".',
    );
  }
  const decision = await policy.authorize({
    requestId: call.requestId,
    traceId: call.traceId,
    credentialSha256: call.credentialSha256,
    bearerToken: call.bearerToken ?? '',
    endpoint: context.endpoint,
    operation: state.operation,
    tags: context.tags,
    estimatedPromptTokens: demand?.estimatedPromptTokens ?? 0,
    promptTokensUpperBound: demand?.promptTokensUpperBound ?? 0,
    maxOutputTokens: demand?.maxOutputTokens,
    stream: state.stream,
  });
  if (decision.rateLimit) call.onRateLimit?.(decision.rateLimit);
  switch (decision.outcome) {
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_ALLOWED:
      if (decision.reservation) state.reservation = decision.reservation;
      return decision;
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_RATE_LIMITED:
      state.context.principal = decision.principal;
      throw new GatewayError(
        GatewayErrorCode.RateLimited,
        `Rate limit reached: ${decision.reason}.`,
      );
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_LIMITS_UNAVAILABLE:
      state.context.principal = decision.principal;
      throw new GatewayError(
        GatewayErrorCode.ServiceUnavailable,
        'Rate limits cannot be checked right now; try again shortly.',
      );
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_UNAUTHENTICATED:
      throw unauthenticatedError(call, decision.reason);
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_DENIED:
      state.context.principal = decision.principal;
      throw new GatewayError(GatewayErrorCode.PermissionDenied, decision.reason);
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_UNKNOWN_ENDPOINT:
      state.context.principal = decision.principal;
      throw new GatewayError(
        GatewayErrorCode.UnknownEndpoint,
        `The model "${context.endpoint}" does not exist or you do not have access to it.`,
      );
    case AuthorizeOutcome.AUTHORIZE_OUTCOME_UNSPECIFIED:
    case AuthorizeOutcome.UNRECOGNIZED:
      throw new GatewayError(GatewayErrorCode.Internal, 'policy gave no decision');
  }
}
