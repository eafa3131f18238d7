import { exportJWK, generateKeyPair, type JWK, SignJWT, UnsecuredJWT } from 'jose';
import { PrincipalKind } from '@aigw/contracts';
import { authSchema } from '@aigw/config';
import { beforeAll, describe, expect, it } from 'vitest';
import { JwtVerifier, looksLikeJwt } from './jwt-verifier';

const issuer = 'https://login.example.test/';
const now = Date.parse('2026-06-01T12:00:00Z');
const seconds = (ms: number): number => Math.floor(ms / 1000);

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let signing: KeyPair;
let stranger: KeyPair;
let publicJwk: JWK;

beforeAll(async () => {
  signing = await generateKeyPair('RS256');
  stranger = await generateKeyPair('RS256');
  publicJwk = { ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'RS256' };
});

function verifier(extra: Record<string, unknown> = {}): JwtVerifier {
  const auth = authSchema.parse({
    jwt: {
      issuers: {
        corp: {
          issuer,
          audiences: ['aigw'],
          jwks: { keys: [publicJwk] },
          algorithms: ['RS256'],
          groups_claim: 'realm_access.groups',
          roles: { claim: 'app_roles', admin: ['aigw-admin'], analytics: ['finops'] },
          service: { claim: 'idtyp', values: ['app'], sub_is_client: true },
          tags: { team: 'department' },
          ...extra,
        },
      },
    },
  });
  return new JwtVerifier(auth.jwt);
}

interface TokenOptions {
  key?: KeyPair;
  alg?: string;
  exp?: number | null;
  iss?: string;
  aud?: string;
}

async function token(claims: Record<string, unknown>, options: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT({ sub: 'alice', ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: 'k1' })
    .setIssuer(options.iss ?? issuer)
    .setAudience(options.aud ?? 'aigw')
    .setIssuedAt(seconds(now) - 60);
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? seconds(now) + 600);
  return jwt.sign((options.key ?? signing).privateKey);
}

describe('JwtVerifier', () => {
  it('turns a valid token into a principal with groups, roles, kind and tags from its claims', async () => {
    const result = await verifier().verify(
      await token({
        realm_access: { groups: ['data-eng', 'search'] },
        app_roles: ['aigw-admin', 'other'],
        department: 'r&d',
      }),
      now,
    );
    expect(result).toMatchObject({
      ok: true,
      principal: {
        id: 'alice',
        kind: PrincipalKind.PRINCIPAL_KIND_USER,
        groups: ['data-eng', 'search'],
        roles: ['admin'],
        tags: { team: 'r&d', auth: 'jwt', issuer: 'corp' },
      },
    });
  });

  it('reads groups given as one space-separated string', async () => {
    const result = await verifier({ groups_claim: 'scope' }).verify(
      await token({ scope: 'read write' }),
      now,
    );
    expect(result.ok && result.principal.groups).toEqual(['read', 'write']);
  });

  it('tells a service token by a claim value, or by sub equal to the client id', async () => {
    const byClaim = await verifier().verify(await token({ sub: 'etl', idtyp: 'app' }), now);
    const byClient = await verifier().verify(await token({ sub: 'bot', azp: 'bot' }), now);
    const user = await verifier().verify(await token({ sub: 'bob', azp: 'web-app' }), now);
    expect(byClaim.ok && byClaim.principal.kind).toBe(PrincipalKind.PRINCIPAL_KIND_SERVICE);
    expect(byClient.ok && byClient.principal.kind).toBe(PrincipalKind.PRINCIPAL_KIND_SERVICE);
    expect(user.ok && user.principal.kind).toBe(PrincipalKind.PRINCIPAL_KIND_USER);
  });

  it.each([
    ['an untrusted issuer', { iss: 'https://evil.test/' }, 'untrusted issuer'],
    ['a wrong audience', { aud: 'someone-else' }, 'claim "aud" check failed'],
    ['an expired token', { exp: seconds(now) - 3600 }, 'token expired'],
    ['a token without exp', { exp: null }, 'claim "exp" check failed'],
    ['a signature by another key', { forged: true }, 'signature invalid'],
  ])('refuses %s', async (_name, options: TokenOptions & { forged?: boolean }, reason) => {
    const { forged, ...rest } = options;
    const result = await verifier().verify(
      await token({}, { ...rest, key: forged ? stranger : signing }),
      now,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('allows the configured clock skew on exp and no more', async () => {
    const justExpired = await token({}, { exp: seconds(now) - 20 });
    const longExpired = await token({}, { exp: seconds(now) - 40 });
    expect((await verifier().verify(justExpired, now)).ok).toBe(true);
    expect((await verifier().verify(longExpired, now)).ok).toBe(false);
  });

  it('refuses alg none, even with valid claims', async () => {
    const unsigned = new UnsecuredJWT({ sub: 'alice' })
      .setIssuer(issuer)
      .setAudience('aigw')
      .setExpirationTime(seconds(now) + 600)
      .encode();
    expect(looksLikeJwt(unsigned)).toBe(true);
    const result = await verifier().verify(unsigned, now);
    expect(result.ok).toBe(false);
  });

  it('refuses an algorithm that is not on the issuer allow-list', async () => {
    const es = await generateKeyPair('ES256');
    const esJwk = { ...(await exportJWK(es.publicKey)), kid: 'k1' };
    const strict = verifier({ jwks: { keys: [esJwk] }, algorithms: ['RS256'] });
    const signed = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience('aigw')
      .setExpirationTime(seconds(now) + 600)
      .sign(es.privateKey);
    const result = await strict.verify(signed, now);
    expect(result).toEqual({ ok: false, reason: 'signature algorithm not allowed' });
  });

  it('refuses a token without the principal claim', async () => {
    const result = await verifier({ principal_claim: 'email' }).verify(await token({}), now);
    expect(result).toEqual({ ok: false, reason: 'token has no "email" claim' });
  });

  it('stops accepting a remembered token once it expires', async () => {
    const jwt = await token({}, { exp: seconds(now) + 60 });
    const subject = verifier({ clock_tolerance_s: 0 });
    expect((await subject.verify(jwt, now)).ok).toBe(true);
    expect((await subject.verify(jwt, now + 61_000)).ok).toBe(false);
  });

  it('refuses every bearer token when no issuer is configured', async () => {
    const none = new JwtVerifier({ issuers: {} });
    expect(await none.verify(await token({}), now)).toEqual({
      ok: false,
      reason: 'bearer tokens are not accepted',
    });
  });
});

describe('looksLikeJwt', () => {
  it('tells JWTs from gateway keys', () => {
    expect(looksLikeJwt('aigw_3f9a1c2b_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG')).toBe(false);
    expect(looksLikeJwt('aigw-demo-key')).toBe(false);
    expect(looksLikeJwt('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln')).toBe(true);
  });
});
