/** Every failure the gateway reports, as a string code; mapped to HTTP and API error shapes at the edge. */
export enum GatewayErrorCode {
  InvalidRequest = 'invalid_request',
  InvalidJson = 'invalid_json',
  BodyTooLarge = 'body_too_large',
  NotFound = 'not_found',
  MethodNotAllowed = 'method_not_allowed',
  Unauthenticated = 'unauthenticated',
  PermissionDenied = 'permission_denied',
  UnknownEndpoint = 'unknown_endpoint',
  RateLimited = 'rate_limited',
  GuardrailBlocked = 'guardrail_blocked',
  UpstreamError = 'upstream_error',
  UpstreamRejected = 'upstream_rejected',
  UpstreamUnavailable = 'upstream_unavailable',
  UpstreamTimeout = 'upstream_timeout',
  ServiceUnavailable = 'service_unavailable',
  Internal = 'internal_error',
}

/** A domain error: a code plus readonly context that is safe to show (never a secret). */
export class GatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly context: Readonly<Record<string, string | number | boolean>> = {},
    readonly httpStatusOverride?: number,
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  get httpStatus(): number {
    return this.httpStatusOverride ?? httpStatusOf(this.code);
  }
}

/** The HTTP status for each code; exhaustive so a new code cannot be forgotten. */
export function httpStatusOf(code: GatewayErrorCode): number {
  switch (code) {
    case GatewayErrorCode.InvalidRequest:
    case GatewayErrorCode.InvalidJson:
    case GatewayErrorCode.GuardrailBlocked:
      return 400;
    case GatewayErrorCode.Unauthenticated:
      return 401;
    case GatewayErrorCode.PermissionDenied:
      return 403;
    case GatewayErrorCode.NotFound:
    case GatewayErrorCode.UnknownEndpoint:
      return 404;
    case GatewayErrorCode.MethodNotAllowed:
      return 405;
    case GatewayErrorCode.BodyTooLarge:
      return 413;
    case GatewayErrorCode.RateLimited:
      return 429;
    case GatewayErrorCode.Internal:
      return 500;
    case GatewayErrorCode.UpstreamError:
    case GatewayErrorCode.UpstreamUnavailable:
    case GatewayErrorCode.UpstreamRejected:
      return 502;
    case GatewayErrorCode.ServiceUnavailable:
      return 503;
    case GatewayErrorCode.UpstreamTimeout:
      return 504;
  }
}

/** OpenAI's `error.type` for each code. */
export function openAiErrorTypeOf(code: GatewayErrorCode): string {
  switch (code) {
    case GatewayErrorCode.InvalidRequest:
    case GatewayErrorCode.InvalidJson:
    case GatewayErrorCode.BodyTooLarge:
    case GatewayErrorCode.NotFound:
    case GatewayErrorCode.MethodNotAllowed:
    case GatewayErrorCode.UnknownEndpoint:
    case GatewayErrorCode.GuardrailBlocked:
      return 'invalid_request_error';
    case GatewayErrorCode.Unauthenticated:
      return 'authentication_error';
    case GatewayErrorCode.PermissionDenied:
      return 'permission_error';
    case GatewayErrorCode.RateLimited:
      return 'rate_limit_error';
    case GatewayErrorCode.UpstreamError:
    case GatewayErrorCode.UpstreamRejected:
    case GatewayErrorCode.UpstreamUnavailable:
    case GatewayErrorCode.UpstreamTimeout:
    case GatewayErrorCode.ServiceUnavailable:
    case GatewayErrorCode.Internal:
      return 'api_error';
  }
}

/** The code for an arbitrary string (e.g. read from a gRPC error); unknown → internal. */
export function gatewayErrorCodeFrom(value: string): GatewayErrorCode {
  const codes = Object.values(GatewayErrorCode) as string[];
  return codes.includes(value) ? (value as GatewayErrorCode) : GatewayErrorCode.Internal;
}
