import { isIPv4, isIPv6 } from 'node:net';

/**
 * The grpc-js target for a service address from the config:
 * - `scheme://…` is used as given;
 * - one `host:port` becomes `dns:///host:port` (every address of the name, round robin);
 * - several `ip:port` separated by commas (replicas on one host, each on its own port) become
 *   `ipv4:a:p1,b:p2` or `ipv6:[a]:p1,[b]:p2`, since grpc-js resolves no list of names.
 */
export function grpcTarget(address: string): string {
  if (address.includes('://')) return address;
  const entries = address
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 1) return `dns:///${entries[0]}`;
  const hosts = entries.map(hostOf);
  if (hosts.every((host) => isIPv4(host))) return `ipv4:${entries.join(',')}`;
  if (hosts.every((host) => isIPv6(host))) return `ipv6:${entries.join(',')}`;
  throw new Error(
    `service address "${address}": a list of replicas must be IPv4 or [IPv6] addresses of one family`,
  );
}

/** Host part of `host:port` or `[ipv6]:port`, without brackets. */
function hostOf(entry: string): string {
  const host = entry.slice(0, entry.lastIndexOf(':'));
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
