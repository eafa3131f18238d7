import { type AigwConfig } from './config.schema';
import { type ConfigIssue } from './config-error';

/** Checks that every name a config uses is defined somewhere in it. */
export function checkReferences(config: AigwConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const groups = new Set(Object.values(config.principals).flatMap((p) => p.groups));
  for (const [endpointName, endpoint] of Object.entries(config.endpoints)) {
    endpoint.targets.forEach((target, index) => {
      if (!config.providers[target.provider]) {
        issues.push({
          path: `endpoints.${endpointName}.targets.${index}.provider`,
          message: `unknown provider "${target.provider}"`,
        });
      }
    });
    for (const stage of ['request', 'response'] as const) {
      endpoint.guardrails[stage].forEach((guardrail, index) => {
        if (!config.guardrails[guardrail]) {
          issues.push({
            path: `endpoints.${endpointName}.guardrails.${stage}.${index}`,
            message: `unknown guardrail "${guardrail}"`,
          });
        }
      });
    }
    endpoint.allow.principals.forEach((principal, index) => {
      if (!config.principals[principal]) {
        issues.push({
          path: `endpoints.${endpointName}.allow.principals.${index}`,
          message: `unknown principal "${principal}"`,
        });
      }
    });
    endpoint.allow.groups.forEach((group, index) => {
      if (!groups.has(group)) {
        issues.push({
          path: `endpoints.${endpointName}.allow.groups.${index}`,
          message: `no principal is in group "${group}"`,
        });
      }
    });
  }
  const seenHashes = new Set<string>();
  config.keys.forEach((key, index) => {
    if (!config.principals[key.principal]) {
      issues.push({
        path: `keys.${index}.principal`,
        message: `unknown principal "${key.principal}"`,
      });
    }
    if (seenHashes.has(key.sha256)) {
      issues.push({ path: `keys.${index}.sha256`, message: 'the same key is listed twice' });
    }
    seenHashes.add(key.sha256);
  });
  return issues;
}
