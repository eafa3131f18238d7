import { type EntityFinder, type EntitySpan, selectSpans } from '../entity-span';
import { findEmails, findPhones } from './contact-detectors';
import { findCreditCards, findIbans } from './financial-detectors';
import { findIpAddresses } from './network-detectors';
import { type PiiEntityType, piiEntityTypes } from './pii-entity';
import { findSsns } from './ssn-detector';

const finders: Record<PiiEntityType, EntityFinder> = {
  email: findEmails,
  phone: findPhones,
  ssn: findSsns,
  credit_card: findCreditCards,
  iban: findIbans,
  ip_address: findIpAddresses,
};

/**
 * All spans of the given entity types (plus custom finders, which win overlaps), sorted and
 * without overlaps. Built-in types resolve overlaps in `piiEntityTypes` order, so a
 * checksum-validated card number is not also reported as a phone number.
 */
export function detectPii(
  text: string,
  types: readonly PiiEntityType[],
  custom: readonly EntityFinder[] = [],
): EntitySpan[] {
  const groups: EntitySpan[][] = custom.map((find) => find(text));
  for (const type of piiEntityTypes) {
    if (types.includes(type)) groups.push(finders[type](text));
  }
  return selectSpans(groups);
}
