/** Nano-dollars per dollar: amounts are exact integers of 1e-9 USD, never floats. */
const nanoPerDollar = 1_000_000_000n;
const fractionDigits = 9;
const decimalPattern = /^(\d{1,12})(?:\.(\d{1,9}))?$/;

/** True for a plain non-negative decimal with at most 9 fraction digits, e.g. "2.50". */
export function isUsdDecimal(text: string): boolean {
  return decimalPattern.test(text);
}

/** Parses a decimal dollar amount into nano-dollars; undefined when it is not one. */
export function parseUsd(text: string): bigint | undefined {
  const match = decimalPattern.exec(text.trim());
  if (!match) return undefined;
  const whole = BigInt(match[1]!);
  const fraction = BigInt((match[2] ?? '').padEnd(fractionDigits, '0'));
  return whole * nanoPerDollar + fraction;
}

/** Formats nano-dollars as a decimal string without trailing zeros, e.g. "0.00001275" or "0". */
export function formatUsd(nano: bigint): string {
  const whole = nano / nanoPerDollar;
  const fraction = (nano % nanoPerDollar).toString().padStart(fractionDigits, '0');
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed === '' ? whole.toString() : `${whole.toString()}.${trimmed}`;
}
