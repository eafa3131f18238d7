import { isIPv6 } from 'node:net';
import { type EntitySpan, regexSpans } from '../entity-span';

const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipv4Pattern = new RegExp(`(?<![\\w.])${octet}(?:\\.${octet}){3}(?![\\w]|\\.\\d)`, 'g');

// Colon-separated hex groups (with "::" compression, optional zone or trailing IPv4), then
// validated by node:net so times (12:30:45) and MAC addresses are not taken.
const ipv6Candidate =
  /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?(?:%[0-9A-Za-z]+)?(?![\w:])/g;

function isIpv6Address(candidate: string): boolean {
  const address = candidate.split('%')[0]!;
  // "a::b" in code is a valid address but almost never one; ask for some real hex content.
  if (!/[0-9A-Fa-f]{2}/.test(address)) return false;
  return isIPv6(address);
}

/** IPv4 and IPv6 addresses. */
export function findIpAddresses(text: string): EntitySpan[] {
  const spans = regexSpans(text, ipv4Pattern, 'ip_address');
  if (text.includes(':'))
    spans.push(...regexSpans(text, ipv6Candidate, 'ip_address', isIpv6Address));
  return spans.sort((a, b) => a.start - b.start);
}
