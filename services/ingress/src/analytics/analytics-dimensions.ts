import { GatewayError, GatewayErrorCode } from '@aigw/core';

/**
 * A dimension a report may be grouped by. `tag:<key>` is a request tag (x-aigw-tags),
 * `endpoint_tag:<key>` a tag from the endpoint's config, `group` a principal's group.
 */
export type Dimension =
  | { readonly kind: 'column'; readonly name: ColumnDimension }
  | { readonly kind: 'group'; readonly name: 'group' }
  | { readonly kind: 'tag' | 'endpoint_tag'; readonly name: string; readonly key: string };

/** Dimensions that are a plain column (or time bucket) of the `requests` table. */
export const columnDimensions = [
  'endpoint',
  'principal',
  'model',
  'provider',
  'day',
  'hour',
  'status',
  'error_code',
] as const;
export type ColumnDimension = (typeof columnDimensions)[number];

const tagKey = /^[A-Za-z0-9_.-]{1,64}$/;
const maxDimensions = 4;

/** Parses `by=tag:team,model` against the whitelist; anything else is a 400 with the reason. */
export function parseDimensions(by: string | undefined): Dimension[] {
  if (!by || by.trim() === '') return [];
  const names = by.split(',').map((name) => name.trim());
  if (names.length > maxDimensions) {
    throw invalid(`by: at most ${maxDimensions} dimensions`);
  }
  const seen = new Set<string>();
  return names.map((name) => {
    if (seen.has(name)) throw invalid(`by: "${name}" is listed twice`);
    seen.add(name);
    return parseDimension(name);
  });
}

function parseDimension(name: string): Dimension {
  if ((columnDimensions as readonly string[]).includes(name)) {
    return { kind: 'column', name: name as ColumnDimension };
  }
  if (name === 'group') return { kind: 'group', name };
  const match = /^(tag|endpoint_tag):(.*)$/.exec(name);
  if (match && tagKey.test(match[2]!)) {
    return { kind: match[1] as 'tag' | 'endpoint_tag', name, key: match[2]! };
  }
  throw invalid(
    `by: unknown dimension "${name.slice(0, 80)}"; use ${columnDimensions.join(', ')}, group, ` +
      'tag:<key> or endpoint_tag:<key> (key: letters, digits, _ . -)',
  );
}

function invalid(message: string): GatewayError {
  return new GatewayError(GatewayErrorCode.InvalidRequest, message, { param: 'by' });
}
