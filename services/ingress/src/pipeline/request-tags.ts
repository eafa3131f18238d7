import { GatewayError, GatewayErrorCode } from '@aigw/core';

const tagKey = /^[a-z][a-z0-9_.-]{0,63}$/;
const tagValue = /^[A-Za-z0-9_.:/@+-]{1,128}$/;
const maxTags = 20;

/**
 * Parses `x-aigw-tags: team=search,env=prod`. Invalid input is refused (400) rather than
 * silently dropped, so cost attribution never quietly goes missing.
 */
export function parseRequestTags(header: string | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  if (header === undefined || header.trim() === '') return tags;
  const pairs = header.split(',');
  if (pairs.length > maxTags) {
    throw new GatewayError(GatewayErrorCode.InvalidRequest, `x-aigw-tags: at most ${maxTags} tags`);
  }
  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    const key = (separator === -1 ? pair : pair.slice(0, separator)).trim();
    const value = separator === -1 ? '' : pair.slice(separator + 1).trim();
    if (!tagKey.test(key)) {
      throw new GatewayError(
        GatewayErrorCode.InvalidRequest,
        'x-aigw-tags: each tag is key=value; keys are lower-case letters, digits, "_", "." or "-" (max 64)',
      );
    }
    if (!tagValue.test(value)) {
      throw new GatewayError(
        GatewayErrorCode.InvalidRequest,
        `x-aigw-tags: the value of "${key}" must be 1-128 letters, digits or _.:/@+-`,
      );
    }
    if (key in tags) {
      throw new GatewayError(
        GatewayErrorCode.InvalidRequest,
        `x-aigw-tags: "${key}" is given twice`,
      );
    }
    tags[key] = value;
  }
  return tags;
}
