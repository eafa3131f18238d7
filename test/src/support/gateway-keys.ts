import { createHash } from 'node:crypto';

/** Keys used by the e2e configs; only their hashes go into the config files. */
export const testKeys = {
  alice: 'aigw-test-alice-key-0001',
  bob: 'aigw-test-bob-key-0002',
  admin: 'aigw-test-admin-key-0003',
} as const;

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
