import { type EntitySpan } from '../entity-span';

/** Entity types the built-in PII detector knows, in the order they win overlaps. */
export const piiEntityTypes = [
  'email',
  'credit_card',
  'iban',
  'ssn',
  'ip_address',
  'phone',
] as const;

/** A built-in PII entity type. */
export type PiiEntityType = (typeof piiEntityTypes)[number];

/** A detected value's position in a text. */
export type PiiSpan = EntitySpan;
