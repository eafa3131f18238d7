import { type EntitySpan, regexSpans } from '../entity-span';

// Emails are found from their "@" outwards: a regex starting at every letter of the text
// would cost most of the PII budget on prose that has no email at all.
const emailDomain = /[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,24}/y;
const maxLocalPart = 64;

// Candidate phone numbers: optional +country code, then digit groups joined by space, dot,
// dash or parentheses. Candidates are then checked by digit count and shape.
const phoneCandidate =
  /(?<![\w+.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{1,8}(?:[\s.-]\d{1,8}){0,5}(?![\w-])/g;

const dottedQuad = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const isoDateStart = /^\d{4}[-.]\d{2}[-.]\d{2}/;

function looksLikePhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  if (candidate.startsWith('+')) return digits.length >= 8;
  // Without a country code: a grouped national number of 10+ digits. A bare run of digits is
  // more often an order or account number than a phone, so it is not masked.
  if (!/[\s.()-]/.test(candidate)) return false;
  if (digits.length < 10) return /^\(\d{2,5}\)[\s.-]?\d{3,4}[\s.-]?\d{3,4}$/.test(candidate);
  // Shapes that are something else: IPv4, dates, decimals, ISBNs (single check digit last).
  if (dottedQuad.test(candidate) || isoDateStart.test(candidate)) return false;
  if (/^\d+\.\d+$/.test(candidate)) return false;
  return !/[\s.-]\d$/.test(candidate);
}

/** Email addresses. */
export function findEmails(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  let from = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > from && at - start < maxLocalPart && isLocalChar(text.charCodeAt(start - 1))) {
      start--;
    }
    // The local part starts with a letter or digit.
    while (start < at && !isAlphanumeric(text.charCodeAt(start))) start++;
    if (start === at) continue;
    emailDomain.lastIndex = at + 1;
    const domain = emailDomain.exec(text);
    if (!domain) continue;
    const end = at + 1 + domain[0].length;
    spans.push({ type: 'email', start, end });
    from = end;
    at = end - 1;
  }
  return spans;
}

function isAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

// Letters, digits and . _ % + - (the local-part characters the detector accepts).
function isLocalChar(code: number): boolean {
  return (
    isAlphanumeric(code) || code === 46 || code === 95 || code === 37 || code === 43 || code === 45
  );
}

/** Phone numbers: international (+cc) and grouped national formats. */
export function findPhones(text: string): EntitySpan[] {
  return regexSpans(text, phoneCandidate, 'phone', looksLikePhone);
}
