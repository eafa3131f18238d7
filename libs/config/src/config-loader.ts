import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { type CompiledConfig, compileConfig } from './compiled-config';
import { checkReferences } from './config-references';
import { ConfigError, type ConfigIssue } from './config-error';
import { configSchema } from './config.schema';
import { checkEgressReferences } from './egress-references';
import { interpolateEnv } from './env-interpolation';

/** Validates YAML text; throws ConfigError listing every bad field with its path. */
export function parseConfig(
  text: string,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): CompiledConfig {
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: false });
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message : String(error);
    throw new ConfigError(source, [{ path: '', message: `not valid YAML: ${message}` }]);
  }
  const issues: ConfigIssue[] = [];
  const interpolated = interpolateEnv(document ?? {}, env, issues);
  const parsed = configSchema.safeParse(interpolated);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ path: issue.path.map(String).join('.'), message: issue.message });
    }
  }
  // Checked even when the schema failed, so one run lists every problem in the file.
  issues.push(...checkReferences(interpolated), ...checkEgressReferences(interpolated));
  if (issues.length > 0 || !parsed.success) throw new ConfigError(source, issues);
  return compileConfig(parsed.data, source);
}

/** Loads the file named by AIGW_CONFIG (or the given path). */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): CompiledConfig {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(absolute, [{ path: '', message: `cannot read file: ${reason}` }]);
  }
  return parseConfig(text, absolute, env);
}
