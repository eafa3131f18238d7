import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PrincipalKind } from '@aigw/contracts';
import { signSubjectToken } from './subject-token';

describe('signSubjectToken', () => {
  it('signs an HS256 JWT naming the principal, valid for the configured time', () => {
    const secret = 'a-subject-secret-of-at-least-32-chars';
    const token = signSubjectToken(
      {
        id: 'alice',
        kind: PrincipalKind.PRINCIPAL_KIND_USER,
        groups: ['eng'],
        roles: [],
        tags: {},
      },
      { issuer: 'aigw', secret, ttlSeconds: 120, audience: 'https://idp/token' },
      new Date('2026-01-01T00:00:00Z'),
    );
    const [header, payload, signature] = token.split('.');
    const expected = createHmac('sha256', secret)
      .update(`${header}.${payload}`)
      .digest('base64url');
    expect(signature).toBe(expected);
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({
      alg: 'HS256',
      typ: 'JWT',
    });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({
      iss: 'aigw',
      sub: 'alice',
      aud: 'https://idp/token',
      iat: 1767225600,
      exp: 1767225720,
      groups: ['eng'],
      principal_kind: 'user',
    });
  });
});
