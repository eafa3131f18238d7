import { randomBytes } from 'node:crypto';

/** Every created key starts with this, so secret scanners and people can recognise one. */
export const apiKeyScheme = 'aigw';

const keyPattern = /^aigw_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;
const prefixPattern = /^aigw_[0-9a-f]{8}$/;

/** A new key: `aigw_<8 hex lookup prefix>_<256 random bits, base64url>`; prefix is its public part. */
export function generateApiKey(): { key: string; prefix: string } {
  const prefix = `${apiKeyScheme}_${randomBytes(4).toString('hex')}`;
  return { key: `${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

/** The public prefix of a created key ("aigw_3f9a1c2b"), or undefined for any other string. */
export function apiKeyPrefixOf(key: string): string | undefined {
  const match = keyPattern.exec(key);
  return match ? `${apiKeyScheme}_${match[1]}` : undefined;
}

/** True for a string shaped like a key prefix ("aigw_3f9a1c2b"). */
export function isApiKeyPrefix(value: string): boolean {
  return prefixPattern.test(value);
}
