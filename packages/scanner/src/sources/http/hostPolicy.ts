import { isIP } from 'node:net';

/**
 * Which hosts a remote source may contact. Targets come from catalog annotations and servers answer
 * with redirects and artifact locations, all attacker-controlled: a request goes only to a host named
 * in configuration (exactly, or by a `*.domain` pattern), and a host reached through a pattern or a
 * redirect must not resolve to a private, loopback or link-local address (169.254.169.254 and friends)
 * unless that exact host was configured. The address check runs inside the connection's DNS lookup,
 * so a name cannot pass the check and then rebind to another address.
 *
 * @public
 */
export interface HostPolicy {
  /** Host names (lower case, optional `:port`) or `*.suffix` patterns. */
  readonly allowedHosts: readonly string[];
}

export class HostNotAllowedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostNotAllowedError';
  }
}

/** `exact`: named in configuration; `pattern`: matched a `*.` pattern; undefined: not allowed. */
export function hostAllowance(
  policy: HostPolicy,
  url: URL,
): 'exact' | 'pattern' | undefined {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const withPort = url.port ? `${host}:${url.port}` : host;
  let result: 'exact' | 'pattern' | undefined;
  for (const entry of policy.allowedHosts.map(each => each.toLowerCase())) {
    if (entry === withPort || (entry === host && !url.port)) return 'exact';
    if (entry.startsWith('*.') && host.endsWith(entry.slice(1)))
      result = 'pattern';
  }
  return result;
}

/** Throws unless the URL's scheme and host are allowed; returns whether private addresses are allowed. */
export function checkUrl(
  policy: HostPolicy,
  url: URL,
): { allowPrivate: boolean } {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new HostNotAllowedError(`${url.protocol} URLs are not fetched`);
  }
  if (url.username || url.password)
    throw new HostNotAllowedError('URLs with credentials are not fetched');
  const allowance = hostAllowance(policy, url);
  if (!allowance) {
    throw new HostNotAllowedError(
      `${url.host} is not a configured host of this source (allowed: ${
        policy.allowedHosts.join(', ') || 'none'
      })`,
    );
  }
  const allowPrivate = allowance === 'exact';
  if (
    !allowPrivate &&
    isIP(url.hostname.replace(/^\[|\]$/g, '')) &&
    isPrivateAddress(url.hostname)
  ) {
    throw new HostNotAllowedError(
      `${url.hostname} is a private or link-local address`,
    );
  }
  return { allowPrivate };
}

const PRIVATE_V4: [number, number][] = [
  [0x00000000, 8], // 0.0.0.0/8
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local, cloud metadata
  [0xac100000, 12], // 172.16/12
  [0xc0000000, 24], // 192.0.0/24
  [0xc0a80000, 16], // 192.168/16
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xe0000000, 3], // multicast and reserved
];

/**
 * Whether an IP address is loopback, private, link-local or otherwise not on the public internet.
 *
 * @public
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return isPrivateAddress(mapped[1]);
  if (isIP(bare) === 4) {
    const value = bare
      .split('.')
      .reduce((acc, part) => acc * 256 + Number(part), 0);
    return PRIVATE_V4.some(
      ([base, bits]) =>
        Math.floor(value / 2 ** (32 - bits)) ===
        Math.floor(base / 2 ** (32 - bits)),
    );
  }
  if (isIP(bare) === 6) {
    return (
      bare === '::' ||
      bare === '::1' ||
      /^f[cd]/.test(bare) || // unique local
      /^fe[89ab]/.test(bare) || // link-local
      /^ff/.test(bare) || // multicast
      bare.startsWith('fd00:ec2::') // AWS metadata over IPv6
    );
  }
  return true;
}
