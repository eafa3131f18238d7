import { type EntityFinder, regexSpans } from './entity-span';

/** A custom entity from config: a name (the placeholder type) and its regex source. */
export interface CustomEntityPattern {
  readonly name: string;
  readonly pattern: string;
  readonly ignoreCase?: boolean;
}

/** Why a custom pattern cannot be used; config validation reports it with its path. */
export function customPatternProblem(pattern: string, ignoreCase = false): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, ignoreCase ? 'gi' : 'g');
  } catch (error) {
    return `invalid regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  // An empty match would mask nothing and loops forever in naive scanners.
  if (regex.test('')) return 'the pattern must not match the empty string';
  return undefined;
}

/** Compiles a custom entity once; throws when the pattern is invalid (config validates first). */
export function compileCustomEntity(entity: CustomEntityPattern): EntityFinder {
  const problem = customPatternProblem(entity.pattern, entity.ignoreCase);
  if (problem) throw new Error(`custom entity "${entity.name}": ${problem}`);
  const regex = new RegExp(entity.pattern, entity.ignoreCase ? 'gi' : 'g');
  return (text) => regexSpans(text, regex, entity.name);
}
