import {
  type EntityFinder,
  type EntitySpan,
  regexSpans,
  selectSpans,
  trailingGroupSpans,
} from '../entity-span';
import {
  labelledSecretTypes,
  type SecretType,
  secretPatterns,
  secretTypes,
} from './secret-patterns';

/** What a secrets detector looks for, compiled once from config. */
export interface SecretDetectorOptions {
  readonly types: readonly SecretType[];
  /** Terms that must never leave (project code names, customer names); case-insensitive. */
  readonly neverSend?: readonly string[];
  /** Document classification markers (`CONFIDENTIAL – INTERNAL`); case-insensitive. */
  readonly markers?: readonly string[];
  /** Extra secret shapes, already compiled. */
  readonly custom?: readonly EntityFinder[];
}

/** Finds secrets, never-send terms and document markers in a text. */
export type SecretDetector = (text: string) => EntitySpan[];

/** Compiles the detector: term lists become one regex each, built once. */
export function compileSecretDetector(options: SecretDetectorOptions): SecretDetector {
  const finders: EntityFinder[] = [...(options.custom ?? [])];
  for (const type of secretTypes) {
    if (options.types.includes(type)) {
      const pattern = secretPatterns[type];
      finders.push(
        labelledSecretTypes.has(type)
          ? (text) => trailingGroupSpans(text, pattern, type)
          : (text) => regexSpans(text, pattern, type),
      );
    }
  }
  const markers = phraseRegex(options.markers ?? []);
  if (markers) finders.push((text) => regexSpans(text, markers, 'document_marker'));
  const terms = phraseRegex(options.neverSend ?? []);
  if (terms) finders.push((text) => regexSpans(text, terms, 'never_send_term'));
  return (text) => selectSpans(finders.map((find) => find(text)));
}

/**
 * One case-insensitive alternation for a phrase list. Whitespace matches any whitespace run and
 * any dash matches the others (markers are typed with -, – or —); word edges are enforced only
 * where the phrase starts or ends with a word character, so "Falcon" does not match "Falconry".
 */
function phraseRegex(phrases: readonly string[]): RegExp | undefined {
  const alternatives = phrases
    .map((phrase) => phrase.trim())
    .filter((phrase) => phrase.length > 0)
    .sort((a, b) => b.length - a.length)
    .map((phrase) => {
      const body = phrase
        .split(/\s+/)
        .map((word) => escapeRegex(word).replace(/[-–—]/g, '[-–—]'))
        .join('\\s+');
      const start = /^\w/.test(phrase) ? '(?<!\\w)' : '';
      const end = /\w$/.test(phrase) ? '(?!\\w)' : '';
      return `${start}${body}${end}`;
    });
  return alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'giu') : undefined;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
