import {
  type AuthenticateRequest,
  type AuthenticateResponse,
  type PolicyServiceClient,
  PrincipalKind,
} from '@aigw/contracts';
import { GatewayError, GatewayErrorCode, sha256Hex } from '@aigw/core';
import { describe, expect, it } from 'vitest';
import { authenticateHttpRequest, presentedCredential, requireRole } from './credentials';

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
const alice = {
  id: 'alice',
  kind: PrincipalKind.PRINCIPAL_KIND_USER,
  groups: ['eng'],
  roles: ['analytics'],
  tags: {},
};

/** Policy's authenticate, answering from a table; records what it was sent. */
function policyAnswering(answer: (request: AuthenticateRequest) => AuthenticateResponse): {
  policy: PolicyServiceClient;
  sent: AuthenticateRequest[];
} {
  const sent: AuthenticateRequest[] = [];
  const policy = {
    authenticate: async (request: AuthenticateRequest) => {
      sent.push(request);
      return answer(request);
    },
  } as unknown as PolicyServiceClient;
  return { policy, sent };
}

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('presentedCredential', () => {
  it('hashes a gateway key and never passes it on', () => {
    expect(presentedCredential('Bearer aigw-demo-key')).toEqual({
      credentialSha256: sha256Hex('aigw-demo-key'),
    });
    expect(presentedCredential(undefined, ' aigw-demo-key ')).toEqual({
      credentialSha256: sha256Hex('aigw-demo-key'),
    });
  });

  it('passes a JWT-shaped bearer value on for policy to verify', () => {
    expect(presentedCredential(`Bearer ${jwt}`)).toEqual({
      credentialSha256: sha256Hex(jwt),
      bearerToken: jwt,
    });
  });

  it('finds nothing in an empty or non-bearer header', () => {
    expect(presentedCredential(undefined)).toEqual({ credentialSha256: undefined });
    expect(presentedCredential('Basic dXNlcjpwYXNz')).toEqual({ credentialSha256: undefined });
  });
});

describe('authenticateHttpRequest', () => {
  it('returns the principal policy finds for a key or a token', async () => {
    const { policy, sent } = policyAnswering(() => ({
      authenticated: true,
      principal: alice,
      reason: '',
    }));
    expect(await authenticateHttpRequest({ 'x-api-key': 'k' }, policy)).toEqual(alice);
    expect(await authenticateHttpRequest({ authorization: `Bearer ${jwt}` }, policy)).toEqual(
      alice,
    );
    expect(sent).toEqual([
      { credentialSha256: sha256Hex('k'), bearerToken: '' },
      { credentialSha256: sha256Hex(jwt), bearerToken: jwt },
    ]);
  });

  it('answers 401 without credentials, without asking policy', async () => {
    const { policy, sent } = policyAnswering(() => {
      throw new Error('not called');
    });
    const error = await refusal(authenticateHttpRequest({}, policy));
    expect(error.code).toBe(GatewayErrorCode.Unauthenticated);
    expect(sent).toEqual([]);
  });

  it('answers 401 with the reason for a refused token, a generic message for a key', async () => {
    const { policy } = policyAnswering(() => ({
      authenticated: false,
      principal: undefined,
      reason: 'bearer token: token expired',
    }));
    const token = await refusal(
      authenticateHttpRequest({ authorization: `Bearer ${jwt}` }, policy),
    );
    expect(token.message).toBe('Invalid bearer token: token expired.');
    expect(token.message).not.toContain(jwt);
    const key = await refusal(authenticateHttpRequest({ authorization: 'Bearer nope' }, policy));
    expect(key.message).toBe('Invalid API key.');
    expect(key.httpStatus).toBe(401);
  });
});

describe('requireRole', () => {
  it('answers 403 unless the principal holds one of the roles', () => {
    expect(() => requireRole(alice, ['admin', 'analytics'])).not.toThrow();
    let error: unknown;
    try {
      requireRole(alice, ['admin']);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: GatewayErrorCode.PermissionDenied, httpStatus: 403 });
  });
});
