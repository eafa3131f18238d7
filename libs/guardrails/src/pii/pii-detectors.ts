import { type PiiEntityType, type PiiSpan } from './pii-entity';

type Finder = (text: string) => PiiSpan[];

const emailPattern =
  /[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,24}/g;

// Candidate phone numbers: optional +country code, then digit groups joined by space, dot,
// dash or parentheses. Candidates are then checked by digit count and shape.
const phoneCandidate =
  /(?<![\w+.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{1,8}(?:[\s.-]\d{1,8}){0,5}(?![\w-])/g;

function findEmails(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of text.matchAll(emailPattern)) {
    spans.push({ type: 'email', start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

function looksLikePhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  if (candidate.startsWith('+')) return digits.length >= 8;
  // Without a country code: a grouped national number of 10+ digits. A bare run of digits is
  // more often an order or account number than a phone, so it is not masked.
  if (!/[\s.()-]/.test(candidate)) return false;
  if (digits.length < 10) return /^\(\d{2,5}\)[\s.-]?\d{3,4}[\s.-]?\d{3,4}$/.test(candidate);
  return !/^\d{4}[-.]\d{2}[-.]\d{2}/.test(candidate);
}

function findPhones(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of text.matchAll(phoneCandidate)) {
    if (looksLikePhone(match[0])) {
      spans.push({ type: 'phone', start: match.index, end: match.index + match[0].length });
    }
  }
  return spans;
}

const finders: Record<PiiEntityType, Finder> = { email: findEmails, phone: findPhones };

/** All spans of the given entity types, sorted, overlaps resolved in favour of the earlier one. */
export function detectPii(text: string, types: readonly PiiEntityType[]): PiiSpan[] {
  const spans = types.flatMap((type) => finders[type](text));
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const result: PiiSpan[] = [];
  let lastEnd = -1;
  for (const span of spans) {
    if (span.start >= lastEnd) {
      result.push(span);
      lastEnd = span.end;
    }
  }
  return result;
}
