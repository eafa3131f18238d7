/** Entity types the built-in PII detector knows. */
export type PiiEntityType = 'email' | 'phone';

/** A detected value's position in a text. */
export interface PiiSpan {
  readonly type: PiiEntityType;
  readonly start: number;
  readonly end: number;
}
