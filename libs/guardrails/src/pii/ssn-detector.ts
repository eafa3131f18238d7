import { type EntitySpan, regexSpans, trailingGroupSpans } from '../entity-span';

// Formatted SSNs (123-45-6789, 123 45 6789).
const formattedSsn = /(?<![\w.-])\d{3}([- ])\d{2}\1\d{4}(?![\w-]|\.\d)/g;
// Nine bare digits right after an SSN label.
const labelledSsn =
  /\b(?:ssn|social security(?: number| no\.?)?)\s*(?:#|no\.?|number)?\s*[:=]?\s*(\d{9})(?!\w)/gi;

function isValidSsn(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  const area = digits.slice(0, 3);
  // The SSA never issues area 000, 666 or 900-999, group 00 or serial 0000.
  if (area === '000' || area === '666' || area.startsWith('9')) return false;
  return digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

/** US Social Security numbers. */
export function findSsns(text: string): EntitySpan[] {
  const spans = regexSpans(text, formattedSsn, 'ssn', isValidSsn);
  for (const span of trailingGroupSpans(text, labelledSsn, 'ssn')) {
    if (isValidSsn(text.slice(span.start, span.end))) spans.push(span);
  }
  return spans;
}
