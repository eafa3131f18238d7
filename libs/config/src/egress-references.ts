import { EgressDeniedError, EgressGuard } from '@aigw/core';
import { z } from 'zod';
import { type ConfigIssue } from './config-error';

const view = z.object({
  runtime: z
    .object({
      egress: z
        .object({ allow_private: z.array(z.string()).catch([]) })
        .catch({ allow_private: [] }),
    })
    .catch({ egress: { allow_private: [] } }),
  providers: z
    .record(
      z.string(),
      z.object({ base_url: z.string().optional(), endpoint: z.string().optional() }).catch({}),
    )
    .catch({}),
  mcp: z
    .object({
      connections: z
        .record(
          z.string(),
          z
            .object({
              url: z.string().optional(),
              token_exchange: z
                .object({ token_endpoint: z.string().optional() })
                .optional()
                .catch(undefined),
            })
            .catch({}),
        )
        .catch({}),
    })
    .catch({ connections: {} }),
});

/**
 * Provider and MCP upstream URLs that name an internal address (loopback, private, link-local, `localhost`)
 * which runtime.egress.allow_private does not allow: refused at load, not at the first call.
 * Host names are checked again on every connection, after DNS.
 */
export function checkEgressReferences(document: unknown): ConfigIssue[] {
  const parsed = view.safeParse(document ?? {});
  if (!parsed.success) return [];
  const guard = new EgressGuard(parsed.data.runtime.egress.allow_private);
  const issues: ConfigIssue[] = [];
  const check = (path: string, url: string | undefined): void => {
    if (!url || !URL.canParse(url)) return;
    try {
      guard.checkUrl(url);
    } catch (error) {
      if (!(error instanceof EgressDeniedError)) throw error;
      issues.push({ path, message: error.message });
    }
  };
  for (const [name, provider] of Object.entries(parsed.data.providers)) {
    check(`providers.${name}.base_url`, provider.base_url);
    check(`providers.${name}.endpoint`, provider.endpoint);
  }
  for (const [name, connection] of Object.entries(parsed.data.mcp.connections)) {
    check(`mcp.connections.${name}.url`, connection.url);
    check(
      `mcp.connections.${name}.token_exchange.token_endpoint`,
      connection.token_exchange?.token_endpoint,
    );
  }
  return issues;
}
