import { type ErrorInfo } from '@aigw/contracts';
import { GatewayErrorCode } from '@aigw/core';
import { type ProviderError } from '../providers/provider-error';

/**
 * The error a client sees when no target could serve: from the last real failure, or, when every
 * target was skipped by an open circuit breaker, a 503.
 */
export function exhaustedError(last: ProviderError | undefined, skippedOpen: boolean): ErrorInfo {
  if (!last) {
    return skippedOpen
      ? {
          code: GatewayErrorCode.UpstreamUnavailable,
          message: 'every provider target is temporarily unavailable (circuit open)',
          httpStatus: 503,
        }
      : {
          code: GatewayErrorCode.UpstreamUnavailable,
          message: 'no provider target is configured',
          httpStatus: 502,
        };
  }
  switch (last.errorClass) {
    case 'client_4xx':
      return {
        code: GatewayErrorCode.UpstreamRejected,
        message: last.message,
        httpStatus: last.status,
      };
    case 'rate_limited':
      return {
        code: GatewayErrorCode.RateLimited,
        message: 'every provider target is rate limited',
        httpStatus: 429,
      };
    case 'timeout':
      return {
        code: GatewayErrorCode.UpstreamTimeout,
        message: 'no provider target answered in time',
        httpStatus: 504,
      };
    case 'connection':
    case 'upstream_5xx':
    case 'malformed_response':
      return {
        code: GatewayErrorCode.UpstreamUnavailable,
        message: 'no provider target could serve the request',
        httpStatus: 502,
      };
  }
}
