import { z } from 'zod';
import { type ConfigIssue } from './config-error';
import { checkLimitReferences } from './limits-references';

// A lenient view of the names a config defines and uses: a field of the wrong shape reads as
// absent, so references are checked even when other fields fail the schema.
const text = z.string().optional().catch(undefined);
const texts = z.array(text).catch([]);
const names = z
  .record(z.string(), z.unknown())
  .catch({})
  .transform((entries) => new Set(Object.keys(entries)));
const referencesSchema = z.object({
  providers: names,
  guardrails: z
    .record(
      z.string(),
      z.object({ stage: text, endpoint: text }).catch({ stage: undefined, endpoint: undefined }),
    )
    .catch({})
    .transform((entries) => new Map(Object.entries(entries))),
  principals: z.record(z.string(), z.object({ groups: texts }).catch({ groups: [] })).catch({}),
  endpoints: z
    .record(
      z.string(),
      z
        .object({
          targets: z.array(z.object({ provider: text }).catch({})).catch([]),
          guardrails: z
            .object({ request: texts, response: texts })
            .catch({ request: [], response: [] }),
          allow: z
            .object({ principals: texts, groups: texts })
            .catch({ principals: [], groups: [] }),
        })
        .catch({
          targets: [],
          guardrails: { request: [], response: [] },
          allow: { principals: [], groups: [] },
        }),
    )
    .catch({}),
  keys: z.array(z.object({ sha256: text, principal: text }).catch({})).catch([]),
  /** Groups declared on their own: members may come only at run time (JWT claims, created keys). */
  groups: names,
});

/**
 * Checks that every name a config uses is defined somewhere in it. Reads the document leniently,
 * so these issues are reported together with schema issues elsewhere in the file.
 */
export function checkReferences(document: unknown): ConfigIssue[] {
  const parsed = referencesSchema.safeParse(
    document !== null && typeof document === 'object' ? document : {},
  );
  if (!parsed.success) return [];
  const config = parsed.data;
  const principals = new Set(Object.keys(config.principals));
  const groups = new Set([
    ...Object.values(config.principals).flatMap((p) => p.groups),
    ...config.groups,
  ]);
  const issues: ConfigIssue[] = [];
  for (const [endpointName, endpoint] of Object.entries(config.endpoints)) {
    endpoint.targets.forEach((target, index) => {
      if (target.provider !== undefined && !config.providers.has(target.provider)) {
        issues.push({
          path: `endpoints.${endpointName}.targets.${index}.provider`,
          message: `unknown provider "${target.provider}"`,
        });
      }
    });
    for (const stage of ['request', 'response'] as const) {
      endpoint.guardrails[stage].forEach((guardrail, index) => {
        if (guardrail === undefined) return;
        const path = `endpoints.${endpointName}.guardrails.${stage}.${index}`;
        const defined = config.guardrails.get(guardrail);
        if (!defined) {
          issues.push({ path, message: `unknown guardrail "${guardrail}"` });
        } else if (
          defined.stage !== undefined &&
          defined.stage !== 'both' &&
          defined.stage !== stage
        ) {
          // A guardrail scoped to one stage (e.g. prompt injection on requests) is refused on the other.
          issues.push({
            path,
            message: `guardrail "${guardrail}" is for the ${defined.stage} stage only`,
          });
        }
      });
    }
    endpoint.allow.principals.forEach((principal, index) => {
      if (principal !== undefined && !principals.has(principal)) {
        issues.push({
          path: `endpoints.${endpointName}.allow.principals.${index}`,
          message: `unknown principal "${principal}"`,
        });
      }
    });
    endpoint.allow.groups.forEach((group, index) => {
      if (group !== undefined && !groups.has(group)) {
        issues.push({
          path: `endpoints.${endpointName}.allow.groups.${index}`,
          message: `no principal is in group "${group}"`,
        });
      }
    });
  }
  for (const [guardrailName, guardrail] of config.guardrails) {
    // An LLM judge calls the targets of a gateway endpoint, which must exist.
    if (guardrail.endpoint !== undefined && !(guardrail.endpoint in config.endpoints)) {
      issues.push({
        path: `guardrails.${guardrailName}.endpoint`,
        message: `unknown endpoint "${guardrail.endpoint}"`,
      });
    }
  }
  const seenHashes = new Set<string>();
  config.keys.forEach((key, index) => {
    if (key.principal !== undefined && !principals.has(key.principal)) {
      issues.push({
        path: `keys.${index}.principal`,
        message: `unknown principal "${key.principal}"`,
      });
    }
    if (key.sha256 === undefined) return;
    if (seenHashes.has(key.sha256)) {
      issues.push({ path: `keys.${index}.sha256`, message: 'the same key is listed twice' });
    }
    seenHashes.add(key.sha256);
  });
  issues.push(...checkLimitReferences(document));
  return issues;
}
