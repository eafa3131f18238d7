import { sha256Hex } from '@aigw/core';

/** The gateway key from `Authorization: Bearer <key>` (or `x-api-key`), hashed; undefined if none. */
export function credentialHash(
  authorization: string | undefined,
  apiKeyHeader?: string,
): string | undefined {
  let key: string | undefined;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    key = match?.[1];
  } else if (apiKeyHeader) {
    key = apiKeyHeader.trim();
  }
  return key ? sha256Hex(key) : undefined;
}
