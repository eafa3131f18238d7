import { GatewayError, gatewayErrorCodeFrom } from '@aigw/core';

/** A router error (from gRPC or in-process) as the gateway error the client will see. */
export function routeFailure(error: {
  code: string;
  message: string;
  httpStatus: number;
}): GatewayError {
  return new GatewayError(
    gatewayErrorCodeFrom(error.code),
    error.message,
    {},
    error.httpStatus || undefined,
  );
}
