import { type Principal } from '@aigw/contracts';
import { type McpConnectionConfig } from '@aigw/config';

type AllowList = { readonly principals: readonly string[]; readonly groups: readonly string[] };

/** True when the principal is listed by id or by one of its groups (deny by default). */
export function isListed(allow: AllowList, principal: Principal): boolean {
  return (
    allow.principals.includes(principal.id) ||
    principal.groups.some((group) => allow.groups.includes(group))
  );
}

/** A tool pattern where `*` matches any run of characters, compiled once. */
export function compileToolPattern(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

/** Per-tool permissions of one connection: allow, deny and per-principal grants. */
export class ToolPermissions {
  private readonly allow: readonly RegExp[] | undefined;
  private readonly deny: readonly RegExp[];
  private readonly grants: readonly { pattern: RegExp; allow: AllowList }[];

  constructor(tools: McpConnectionConfig['tools']) {
    this.allow = tools.allow?.map(compileToolPattern);
    this.deny = tools.deny.map(compileToolPattern);
    this.grants = Object.entries(tools.grants).map(([pattern, allow]) => ({
      pattern: compileToolPattern(pattern),
      allow,
    }));
  }

  /** May this principal see and call the tool? */
  permits(tool: string, principal: Principal): boolean {
    if (this.deny.some((pattern) => pattern.test(tool))) return false;
    if (this.allow && !this.allow.some((pattern) => pattern.test(tool))) return false;
    return this.grants.every(
      (grant) => !grant.pattern.test(tool) || isListed(grant.allow, principal),
    );
  }
}
