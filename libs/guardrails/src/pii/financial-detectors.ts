import { type EntitySpan, regexSpans } from '../entity-span';
import { passesIbanChecksum, passesLuhn } from './checksums';

// 16-19 digits in groups of four (same separator throughout), Amex/Diners 4-6-5 / 4-6-4,
// or an unseparated run of 13-19 digits.
const cardCandidate =
  /(?<![\w.-])(?:\d{4}([ -]?)\d{4}\1\d{4}\1\d{4}(?:\1?\d{1,3})?|\d{4}([ -]?)\d{6}\2\d{4,5}|\d{13,19})(?![\w-]|\.\d)/g;

// Issuer prefixes (IIN ranges) of the major networks; a Luhn-valid number outside them is
// far more often an order or tracking number.
const issuerPrefix =
  /^(?:4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|3(?:0[0-5]|[68])|6(?:011|5|4[4-9]|2)|35(?:2[89]|[3-8]))/;

function isCardNumber(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  return issuerPrefix.test(digits) && passesLuhn(digits);
}

// Country code, check digits, then 11-30 alphanumerics, optionally printed in groups of four.
const ibanCandidate = /(?<![\w-])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![\w-])/g;

function ibanSpan(text: string, start: number, candidate: string): EntitySpan | undefined {
  // A greedy candidate may have swallowed a following group; retry without trailing groups.
  let value = candidate;
  while (value.replace(/ /g, '').length >= 15) {
    const compact = value.replace(/ /g, '');
    if (compact.length <= 34 && passesIbanChecksum(compact)) {
      return { type: 'iban', start, end: start + value.length };
    }
    const lastSpace = value.lastIndexOf(' ');
    if (lastSpace < 0) return undefined;
    value = value.slice(0, lastSpace);
  }
  return undefined;
}

/** Payment card numbers of the major networks, Luhn-checked. */
export function findCreditCards(text: string): EntitySpan[] {
  return regexSpans(text, cardCandidate, 'credit_card', isCardNumber);
}

/** IBANs, compact or grouped, mod-97 checked. */
export function findIbans(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const match of text.matchAll(ibanCandidate)) {
    const span = ibanSpan(text, match.index, match[0]);
    if (span) spans.push(span);
  }
  return spans;
}
