import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { type PolicyServiceClient } from '@aigw/contracts';
import { credentialHash } from '../pipeline/credentials';

/** Roles that may read analytics (reports, dashboard). */
export const analyticsRoles: readonly string[] = ['admin', 'analytics'];

/**
 * Authenticates the gateway key in `Authorization: Bearer …` and requires an analytics or admin
 * role; throws GatewayError (401 / 403) otherwise. Returns the principal id.
 */
export async function requireAnalyticsRole(
  policy: Pick<PolicyServiceClient, 'authenticate'>,
  authorization: string | undefined,
): Promise<string> {
  const credential = credentialHash(authorization);
  const identity = credential
    ? await policy.authenticate({ credentialSha256: credential })
    : undefined;
  if (!identity?.authenticated) {
    throw new GatewayError(GatewayErrorCode.Unauthenticated, 'Missing or invalid API key.');
  }
  const roles = identity.principal?.roles ?? [];
  if (!roles.some((role) => analyticsRoles.includes(role))) {
    throw new GatewayError(
      GatewayErrorCode.PermissionDenied,
      'The admin or analytics role is required.',
    );
  }
  return identity.principal?.id ?? '';
}
