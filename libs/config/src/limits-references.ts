import { z } from 'zod';
import { type ConfigIssue } from './config-error';

const text = z.string().optional().catch(undefined);
const referencesSchema = z.object({
  principals: z
    .record(z.string(), z.object({ groups: z.array(text).catch([]) }).catch({ groups: [] }))
    .catch({}),
  endpoints: z.record(z.string(), z.unknown()).catch({}),
  groups: z.record(z.string(), z.unknown()).catch({}),
  budgets: z.array(z.object({ scope: text, name: text }).catch({})).catch([]),
});

/**
 * Checks the names that limits and budgets use: a budget's user, group or endpoint must be
 * defined; a group is one some principal is in or that `groups:` lists.
 */
export function checkLimitReferences(document: unknown): ConfigIssue[] {
  const parsed = referencesSchema.safeParse(
    document !== null && typeof document === 'object' ? document : {},
  );
  if (!parsed.success) return [];
  const config = parsed.data;
  const groups = new Set([
    ...Object.values(config.principals).flatMap((principal) => principal.groups),
    ...Object.keys(config.groups),
  ]);
  const issues: ConfigIssue[] = [];
  config.budgets.forEach((budget, index) => {
    if (budget.name === undefined) return;
    const path = `budgets.${index}.name`;
    if (budget.scope === 'user' && !(budget.name in config.principals)) {
      issues.push({ path, message: `unknown principal "${budget.name}"` });
    } else if (budget.scope === 'endpoint' && !(budget.name in config.endpoints)) {
      issues.push({ path, message: `unknown endpoint "${budget.name}"` });
    } else if (budget.scope === 'group' && !groups.has(budget.name)) {
      issues.push({ path, message: `unknown group "${budget.name}"` });
    }
  });
  return issues;
}
