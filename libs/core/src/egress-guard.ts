import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a gateway must not reach on a caller's behalf unless an operator allows them:
 * loopback, private networks, link-local (cloud metadata at 169.254.169.254), carrier-grade
 * NAT, unspecified, multicast and their IPv6 equivalents (incl. IPv4-mapped).
 */
const internalRanges = (() => {
  const list = new BlockList();
  const v4: [string, number][] = [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ];
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4');
  const v6: [string, number][] = [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
  ];
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
  return list;
})();

function family(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** `::ffff:10.0.0.1` → `10.0.0.1`; anything else unchanged. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1]! : address;
}

/** True for an address in a loopback, private, link-local or otherwise internal range. */
export function isInternalAddress(address: string): boolean {
  const plain = unmapped(address);
  return internalRanges.check(plain, family(plain));
}

/** Why a destination is refused; carried by the errors the guard raises. */
export class EgressDeniedError extends Error {
  readonly code = 'EGRESS_DENIED';
  constructor(readonly destination: string) {
    super(
      `egress to ${destination} is refused: it is a loopback, private or link-local address ` +
        `(allow it under runtime.egress.allow_private)`,
    );
    this.name = 'EgressDeniedError';
  }
}

/**
 * Decides which internal destinations outbound calls (providers, MCP upstreams) may reach:
 * public addresses always; internal ones only when listed (an IP, a CIDR, or a host name).
 * Checked on the resolved address at connect time, so a public name that resolves to an
 * internal address (DNS rebinding) is refused too.
 */
export class EgressGuard {
  private readonly allowedRanges = new BlockList();
  private readonly allowedHosts = new Set<string>();

  constructor(allowPrivate: readonly string[]) {
    for (const entry of allowPrivate) {
      const [address, prefix] = entry.split('/');
      if (address && isIP(address)) {
        const kind = family(address);
        this.allowedRanges.addSubnet(address, Number(prefix ?? (kind === 'ipv6' ? 128 : 32)), kind);
      } else {
        this.allowedHosts.add(entry.toLowerCase());
      }
    }
  }

  /** A guard that allows everything (tests that build clients directly, and tools). */
  static permissive(): EgressGuard {
    return new EgressGuard(['0.0.0.0/0', '::/0']);
  }

  /** Whether a resolved address may be reached for this host name. */
  allows(host: string, address: string): boolean {
    if (!isInternalAddress(address)) return true;
    if (this.allowedHosts.has(host.toLowerCase())) return true;
    const plain = unmapped(address);
    return this.allowedRanges.check(plain, family(plain));
  }

  /**
   * Checks a URL before use: a literal internal IP (or `localhost`) not allowed is refused at
   * once; host names are checked again when they resolve.
   */
  checkUrl(url: string | URL): void {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      if (!this.allows(host, host)) throw new EgressDeniedError(parsed.host);
    } else if (host === 'localhost' || host.endsWith('.localhost')) {
      if (!this.allows(host, '127.0.0.1')) throw new EgressDeniedError(parsed.host);
    }
  }

  /** A `lookup` for net/tls/undici `connect` options that refuses internal addresses. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '', 4);
        return;
      }
      const refused = addresses.find((entry) => !this.allows(hostname, entry.address));
      if (refused) {
        callback(new EgressDeniedError(`${hostname} (${refused.address})`), '', 4);
        return;
      }
      if (options.all) {
        (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      } else {
        callback(null, addresses[0]!.address, addresses[0]!.family);
      }
    });
  };
}
