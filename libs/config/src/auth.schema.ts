import { z } from 'zod';

/**
 * Signature algorithms a JWT may use: asymmetric only, so the gateway holds no signing secret.
 * `none` and the HMAC family are never accepted.
 */
export const jwtAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/** A dotted path into the token's claims, e.g. `realm_access.roles`. */
const claimPath = z
  .string()
  .regex(/^[A-Za-z0-9_:/.-]+$/, 'must be a claim name or a dotted path such as realm_access.roles')
  .refine((path) => !path.split('.').includes(''), 'must not have an empty path segment');

const groupName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/, 'must be 1-63 letters, digits, ".", "_" or "-"');

const jsonWebKey = z.looseObject({ kty: z.string().min(1) });

/** Signing keys come over https; plain http only from this machine (tests, sidecars). */
function trustedKeyUrl(url: string): boolean {
  const parsed = new URL(url);
  return (
    parsed.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)
  );
}

/** One trusted token issuer (an OIDC provider, or any JWT issuer with a JWKS). */
const jwtIssuer = z
  .strictObject({
    /** Must equal the token's `iss` claim exactly. */
    issuer: z.string().min(1),
    /** The token's `aud` must contain one of these. */
    audiences: z.array(z.string().min(1)).min(1, 'list at least one audience'),
    /** Where the issuer publishes its signing keys; fetched on demand and cached. */
    jwks_url: z.url({ protocol: /^https?$/ }).optional(),
    /** The signing keys inline (a JWK Set), instead of jwks_url. */
    jwks: z.strictObject({ keys: z.array(jsonWebKey).min(1) }).optional(),
    /** How long fetched keys are trusted before they are fetched again. */
    jwks_cache_max_age_s: z.number().int().min(1).max(86_400).default(600),
    /**
     * A token with an unknown key id makes the gateway fetch the JWKS again (key rotation), at
     * most once per this many seconds.
     */
    jwks_refetch_cooldown_s: z.number().int().min(0).max(3600).default(30),
    algorithms: z.array(z.enum(jwtAlgorithms)).min(1).default(['RS256', 'ES256']),
    /** Allowed clock skew for `exp` and `nbf`. */
    clock_tolerance_s: z.number().int().min(0).max(300).default(30),
    /** Tokens without `exp` are refused unless this is false. */
    require_expiry: z.boolean().default(true),
    /** The claim whose value is the principal id. */
    principal_claim: claimPath.default('sub'),
    /** Prepended to the principal id, e.g. `corp:`; keeps ids from different issuers apart. */
    principal_prefix: z.string().max(64).default(''),
    /** The claim holding the groups: an array of strings or a space/comma separated string. */
    groups_claim: claimPath.default('groups'),
    /** Gateway roles from a claim: the claim's values that grant each role. */
    roles: z
      .strictObject({
        claim: claimPath.default('roles'),
        admin: z.array(z.string().min(1)).default([]),
        analytics: z.array(z.string().min(1)).default([]),
      })
      .optional(),
    /**
     * How to tell a service (machine, client-credentials) token from a user's: a claim with one
     * of the given values (e.g. Entra ID `idtyp: app`), and/or `sub` equal to the client id
     * (`azp` or `client_id`), which is what client-credentials grants issue.
     */
    service: z
      .strictObject({
        claim: claimPath.optional(),
        values: z.array(z.string().min(1)).default([]),
        sub_is_client: z.boolean().default(false),
      })
      .default({ values: [], sub_is_client: false }),
    /** Principal tags from claims: tag name → claim path. */
    tags: z.record(groupName, claimPath).default({}),
  })
  .superRefine((issuer, context) => {
    if (!issuer.jwks_url === !issuer.jwks) {
      context.addIssue({
        code: 'custom',
        path: ['jwks_url'],
        message: 'give exactly one of jwks_url or jwks',
      });
    }
    if (issuer.jwks_url && !trustedKeyUrl(issuer.jwks_url)) {
      context.addIssue({
        code: 'custom',
        path: ['jwks_url'],
        message: 'must be https (plain http only for localhost)',
      });
    }
    if (issuer.service.claim !== undefined && issuer.service.values.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['service', 'values'],
        message: 'list the claim values that mark a service token',
      });
    }
  });

/** The `auth:` section of aigw.yaml: how callers other than gateway keys prove who they are. */
export const authSchema = z
  .strictObject({
    jwt: z
      .strictObject({
        /** Trusted issuers by name; the name shows in principal tags (`issuer`). */
        issuers: z.record(groupName, jwtIssuer).default({}),
      })
      .default({ issuers: {} }),
    keys: z
      .strictObject({
        /**
         * Where keys created through the admin API live: `file` (under runtime.data_dir; one
         * process), `redis` (runtime.redis; shared by every policy replica) or `auto`: redis when
         * runtime.redis is set, else file.
         */
        store: z.enum(['auto', 'file', 'redis']).default('auto'),
        /** The longest lifetime a created key may have, in days; 0: no limit. */
        max_expiry_days: z.number().int().min(0).max(36_500).default(0),
      })
      .default({ store: 'auto', max_expiry_days: 0 }),
  })
  .default({ jwt: { issuers: {} }, keys: { store: 'auto', max_expiry_days: 0 } });

export type AuthConfig = z.infer<typeof authSchema>;
export type JwtIssuerConfig = AuthConfig['jwt']['issuers'][string];
