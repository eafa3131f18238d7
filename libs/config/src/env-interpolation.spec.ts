import { describe, expect, it } from 'vitest';
import { type ConfigIssue } from './config-error';
import { interpolateEnv } from './env-interpolation';

function interpolate(node: unknown, env: NodeJS.ProcessEnv) {
  const issues: ConfigIssue[] = [];
  const value = interpolateEnv(node, env, issues);
  return { value, issues };
}

describe('interpolateEnv', () => {
  it('replaces every reference in every string of the tree', () => {
    const { value, issues } = interpolate(
      { url: 'http://${HOST}:${PORT}/v1', list: ['${HOST}', 'plain'], nested: { a: '${PORT}' } },
      { HOST: 'llm.internal', PORT: '8000' },
    );

    expect(value).toEqual({
      url: 'http://llm.internal:8000/v1',
      list: ['llm.internal', 'plain'],
      nested: { a: '8000' },
    });
    expect(issues).toEqual([]);
  });

  it('uses the default of ${VAR:-default} when the variable is unset or empty', () => {
    const { value, issues } = interpolate(
      { a: '${A:-fallback}', b: '${B:-fallback}', c: '${C:-}', d: '${D:-x y:z}' },
      { B: '', A: 'set' },
    );

    expect(value).toEqual({ a: 'set', b: 'fallback', c: '', d: 'x y:z' });
    expect(issues).toEqual([]);
  });

  it('reports each unset variable at the dotted path of its field, and leaves it empty', () => {
    const { value, issues } = interpolate(
      { providers: { openai: { api_key: '${KEY}' } }, brokers: ['ok', 'x-${B1}-${B2}'] },
      {},
    );

    expect(value).toEqual({ providers: { openai: { api_key: '' } }, brokers: ['ok', 'x--'] });
    expect(issues).toEqual([
      { path: 'providers.openai.api_key', message: 'environment variable KEY is not set' },
      { path: 'brokers.1', message: 'environment variable B1 is not set' },
      { path: 'brokers.1', message: 'environment variable B2 is not set' },
    ]);
  });

  it('leaves numbers, booleans, null and text without references as they are', () => {
    const { value, issues } = interpolate(
      { n: 1, t: true, z: null, s: 'cost: $5 {not a reference}' },
      {},
    );

    expect(value).toEqual({ n: 1, t: true, z: null, s: 'cost: $5 {not a reference}' });
    expect(issues).toEqual([]);
  });

  it('does not read keys of the tree as references', () => {
    const { value } = interpolate({ '${KEY}': 'v' }, { KEY: 'secret' });

    expect(value).toEqual({ '${KEY}': 'v' });
  });
});
