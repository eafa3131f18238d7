/** A detected value's position in a text, with its entity type (never the value itself). */
export interface EntitySpan {
  /** Entity type, lower snake case (`email`, `credit_card`, or a custom name). */
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

/** Finds the spans of one entity type in a text. */
export type EntityFinder = (text: string) => EntitySpan[];

/**
 * Merges the spans of several finders into one sorted list without overlaps. Finders earlier in
 * the list win an overlap (checksum-validated types before loose shapes like phone numbers);
 * within one finder the longer span wins.
 */
export function selectSpans(groups: readonly (readonly EntitySpan[])[]): EntitySpan[] {
  const accepted: EntitySpan[] = [];
  for (const group of groups) {
    const sorted = [...group].sort((a, b) => b.end - b.start - (a.end - a.start));
    for (const span of sorted) {
      const index = insertionIndex(accepted, span.start);
      const before = accepted[index - 1];
      const after = accepted[index];
      if (before && before.end > span.start) continue;
      if (after && after.start < span.end) continue;
      accepted.splice(index, 0, span);
    }
  }
  return accepted;
}

/** Spans of every match of a global regex, typed; `accept` may veto a match. */
export function regexSpans(
  text: string,
  pattern: RegExp,
  type: string,
  accept?: (match: string) => boolean,
): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const match of text.matchAll(pattern)) {
    if (match[0].length === 0 || (accept && !accept(match[0]))) continue;
    spans.push({ type, start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

/**
 * Spans of capture group 1 of every match, where the group ends the match: a label before
 * the value (`SSN: …`) is matched forwards instead of with a slow variable-length lookbehind.
 */
export function trailingGroupSpans(text: string, pattern: RegExp, type: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const match of text.matchAll(pattern)) {
    const value = match[1];
    if (!value) continue;
    const end = match.index + match[0].length;
    spans.push({ type, start: end - value.length, end });
  }
  return spans;
}

function insertionIndex(spans: readonly EntitySpan[], start: number): number {
  let low = 0;
  let high = spans.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (spans[middle]!.start < start) low = middle + 1;
    else high = middle;
  }
  return low;
}
