import { type Principal, PrincipalKind } from '@aigw/contracts';
import {
  type AigwConfig,
  type EndpointConfig,
  type GuardrailConfig,
  type ProviderConfig,
} from './config.schema';

/** An endpoint with its allow-lists as sets, ready for O(1) checks. */
export interface CompiledEndpoint {
  readonly name: string;
  readonly config: EndpointConfig;
  readonly allowedPrincipals: ReadonlySet<string>;
  readonly allowedGroups: ReadonlySet<string>;
}

/** Config compiled once per load: every per-request lookup is a map hit. */
export interface CompiledConfig {
  readonly raw: AigwConfig;
  readonly source: string;
  readonly loadedAt: Date;
  readonly endpoints: ReadonlyMap<string, CompiledEndpoint>;
  readonly principalsByKeyHash: ReadonlyMap<string, Principal>;
  readonly principals: ReadonlyMap<string, Principal>;
  readonly providers: ReadonlyMap<string, ProviderConfig>;
  readonly guardrails: ReadonlyMap<string, GuardrailConfig>;
}

export function compileConfig(raw: AigwConfig, source: string): CompiledConfig {
  const principals = new Map<string, Principal>();
  for (const [id, principal] of Object.entries(raw.principals)) {
    principals.set(id, {
      id,
      kind:
        principal.kind === 'service'
          ? PrincipalKind.PRINCIPAL_KIND_SERVICE
          : PrincipalKind.PRINCIPAL_KIND_USER,
      groups: principal.groups,
      roles: principal.roles,
      tags: principal.tags,
    });
  }
  const principalsByKeyHash = new Map<string, Principal>();
  for (const key of raw.keys) {
    const principal = principals.get(key.principal);
    if (principal) principalsByKeyHash.set(key.sha256, principal);
  }
  const endpoints = new Map<string, CompiledEndpoint>();
  for (const [name, endpoint] of Object.entries(raw.endpoints)) {
    endpoints.set(name, {
      name,
      config: endpoint,
      allowedPrincipals: new Set(endpoint.allow.principals),
      allowedGroups: new Set(endpoint.allow.groups),
    });
  }
  return {
    raw,
    source,
    loadedAt: new Date(),
    endpoints,
    principalsByKeyHash,
    principals,
    providers: new Map(Object.entries(raw.providers)),
    guardrails: new Map(Object.entries(raw.guardrails)),
  };
}
