// Client address resolution. Only peers inside `trustedProxies` may speak for someone else, and
// then only through X-Forwarded-For, read from the right: the first address that is not itself a
// trusted proxy is the client (Envoy xff_num_trusted_hops, nginx real_ip_recursive;
// security.md A1). Never `trustProxy: true`.
import { isIP } from 'node:net';

interface Cidr {
  v6: boolean;
  hi: bigint; // IPv6 as one 128-bit number; IPv4 uses `lo` only
  lo: number;
  bits: number;
}

function v4ToInt(ip: string): number {
  const p = ip.split('.');
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

function v6ToBig(ip: string): bigint {
  let s = ip;
  const zone = s.indexOf('%');
  if (zone !== -1) s = s.slice(0, zone);
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const n = v4ToInt(tail);
    s = `${s.slice(0, lastColon + 1)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, rest] = s.split('::') as [string, string | undefined];
  const a = head ? head.split(':') : [];
  const b = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest === undefined ? a : [...a, ...Array<string>(8 - a.length - b.length).fill('0'), ...b];
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(parseInt(g || '0', 16));
  return v;
}

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`, what a dual-stack listener reports) → plain IPv4. */
export function canonicalIp(ip: string): string {
  if (ip.length > 7 && ip.charCodeAt(0) === 58 && ip.startsWith('::ffff:') && ip.includes('.')) return ip.slice(7);
  return ip;
}

export function parseCidr(s: string): Cidr {
  const [ipRaw, bitsRaw] = s.split('/') as [string, string | undefined];
  const ip = canonicalIp(ipRaw);
  const fam = isIP(ip);
  if (fam === 4) {
    const bits = bitsRaw === undefined ? 32 : Number(bitsRaw);
    return { v6: false, hi: 0n, lo: v4ToInt(ip), bits };
  }
  if (fam === 6) {
    const bits = bitsRaw === undefined ? 128 : Number(bitsRaw);
    return { v6: true, hi: v6ToBig(ip), lo: 0, bits };
  }
  throw new Error(`not an IP address or CIDR: ${s}`);
}

export class TrustedProxies {
  private readonly v4: { net: number; mask: number }[] = [];
  private readonly v6: { net: bigint; mask: bigint }[] = [];
  /** Small memo: the same few LB addresses are asked about over and over. */
  private readonly memo = new Map<string, boolean>();
  readonly empty: boolean;

  constructor(cidrs: readonly string[]) {
    for (const c of cidrs) {
      const p = parseCidr(c);
      if (p.v6) {
        const mask = p.bits === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - p.bits)) - 1n);
        this.v6.push({ net: p.hi & mask, mask });
      } else {
        const mask = p.bits === 0 ? 0 : (0xffffffff << (32 - p.bits)) >>> 0;
        this.v4.push({ net: (p.lo & mask) >>> 0, mask });
      }
    }
    this.empty = this.v4.length === 0 && this.v6.length === 0;
  }

  has(ipRaw: string): boolean {
    if (this.empty) return false;
    const cached = this.memo.get(ipRaw);
    if (cached !== undefined) return cached;
    const ip = canonicalIp(ipRaw);
    const fam = isIP(ip);
    let hit = false;
    if (fam === 4) {
      const n = v4ToInt(ip);
      hit = this.v4.some((c) => ((n & c.mask) >>> 0) === c.net);
    } else if (fam === 6) {
      const n = v6ToBig(ip);
      hit = this.v6.some((c) => (n & c.mask) === c.net);
    }
    if (this.memo.size > 1024) this.memo.clear();
    this.memo.set(ipRaw, hit);
    return hit;
  }

  /**
   * The client address and the X-Forwarded-For to send upstream. From an untrusted peer the
   * client's XFF is discarded (it is whatever the client typed); from a trusted peer the chain
   * is kept from the resolved client rightwards, so an upstream reading the leftmost entry gets
   * the same answer as the gateway.
   */
  resolve(peerRaw: string, xff: string): { clientIp: string; forwardedFor: string } {
    const peer = canonicalIp(peerRaw);
    if (xff === '' || !this.has(peer)) return { clientIp: peer, forwardedFor: peer };
    const hops = xff.split(',');
    let client = peer;
    let from = hops.length;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = canonicalIp(hops[i]!.trim());
      if (isIP(hop) === 0) break; // garbage: stop at the last address we could believe
      client = hop;
      from = i;
      if (!this.has(hop)) break;
    }
    const chain = hops
      .slice(from)
      .map((h) => canonicalIp(h.trim()))
      .join(', ');
    return { clientIp: client, forwardedFor: chain === '' ? peer : `${chain}, ${peer}` };
  }
}
