import { type ConfigIssue } from './config-error';

const reference = /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed YAML tree.
 * A reference to an unset variable without a default is an issue at that path.
 */
export function interpolateEnv(
  node: unknown,
  env: NodeJS.ProcessEnv,
  issues: ConfigIssue[],
  path: string[] = [],
): unknown {
  if (typeof node === 'string') {
    return node.replace(reference, (_match, variable: string, fallback: string | undefined) => {
      const value = env[variable];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      issues.push({ path: path.join('.'), message: `environment variable ${variable} is not set` });
      return '';
    });
  }
  if (Array.isArray(node)) {
    return node.map((item, index) => interpolateEnv(item, env, issues, [...path, String(index)]));
  }
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = interpolateEnv(value, env, issues, [...path, key]);
    }
    return out;
  }
  return node;
}
