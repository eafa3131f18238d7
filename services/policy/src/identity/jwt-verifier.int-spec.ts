import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { authSchema } from '@aigw/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtVerifier } from './jwt-verifier';

const issuer = 'https://idp.example.test';

describe('JwtVerifier with a remote JWKS', () => {
  let server: Server;
  let jwksUrl: string;
  let fetches = 0;
  let keys: unknown[] = [];
  let signing: Awaited<ReturnType<typeof generateKeyPair>>;
  let rotated: Awaited<ReturnType<typeof generateKeyPair>>;

  beforeAll(async () => {
    signing = await generateKeyPair('ES256');
    rotated = await generateKeyPair('ES256');
    keys = [{ ...(await exportJWK(signing.publicKey)), kid: 'one', alg: 'ES256' }];
    server = createServer((request, response) => {
      fetches++;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const verifier = (cooldownSeconds = 30): JwtVerifier =>
    new JwtVerifier(
      authSchema.parse({
        jwt: {
          issuers: {
            idp: {
              issuer,
              audiences: ['aigw'],
              jwks_url: jwksUrl,
              algorithms: ['ES256'],
              jwks_refetch_cooldown_s: cooldownSeconds,
            },
          },
        },
      }).jwt,
    );

  const sign = (kid: string, key: typeof signing, sub: string): Promise<string> =>
    new SignJWT({ sub, groups: ['eng'] })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(issuer)
      .setAudience('aigw')
      .setExpirationTime('10m')
      .sign(key.privateKey);

  it('fetches the issuer keys once and verifies tokens with them', async () => {
    const subject = verifier();
    const before = fetches;
    const first = await subject.verify(await sign('one', signing, 'alice'));
    const second = await subject.verify(await sign('one', signing, 'bob'));
    expect(first).toMatchObject({ ok: true, principal: { id: 'alice', groups: ['eng'] } });
    expect(second).toMatchObject({ ok: true, principal: { id: 'bob' } });
    expect(fetches - before).toBe(1);
  });

  it('picks up a rotated key: an unknown kid makes it fetch the JWKS again', async () => {
    const subject = verifier(0);
    expect((await subject.verify(await sign('one', signing, 'alice'))).ok).toBe(true);
    keys = [...keys, { ...(await exportJWK(rotated.publicKey)), kid: 'two', alg: 'ES256' }];
    const result = await subject.verify(await sign('two', rotated, 'carol'));
    expect(result).toMatchObject({ ok: true, principal: { id: 'carol' } });
  });

  it('refuses a token whose key id the issuer does not publish', async () => {
    const unknown = await generateKeyPair('ES256');
    const result = await verifier().verify(await sign('three', unknown, 'mallory'));
    expect(result).toEqual({ ok: false, reason: 'no issuer key matches the token' });
  });
});
