// Small pieces shared by the policy modules (auth, limits, cache, WebSocket, Lambda): the coded
// error type, tuning options, client keys, identity headers and a bounded LRU map.
import { isIPv4, isIPv6 } from 'node:net';
import type { Identity } from './types.js';

/** A configuration or runtime error of a policy, with a stable code and the original cause. */
export class PolicyError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PolicyError';
    this.code = code;
  }
}

/**
 * Tuning knobs that are not part of edge.yaml. Defaults suit production; tests shorten the
 * timeouts. `env` replaces process.env for secrets (auth.jwt.secretEnv, auth.apiKeys.keysEnv).
 */
export interface PolicyOptions {
  env?: Record<string, string | undefined>;
  /** Project root (the directory of edge.yaml) for `functions/<service>/index.ts`; default config.root, else cwd. */
  root?: string;
  jwks?: { timeoutMs?: number; cooldownMs?: number; cacheMaxAgeMs?: number; maxBytes?: number; failureBackoffMs?: number };
  /** Verified-token cache entries (LRU). */
  tokenCacheSize?: number;
  /** Keys tracked per in-memory rate limiter before the least recently seen is forgotten. */
  rateLimitMaxKeys?: number;
  redis?: { connectTimeoutMs?: number; commandTimeoutMs?: number; logIntervalMs?: number };
  cache?: { maxBytes?: number; maxObjectBytes?: number; maxWaiters?: number };
  websocket?: { idleTimeoutMs?: number; maxBufferedBytes?: number; closeGraceMs?: number };
  lambda?: { maxResponseBytes?: number };
}

export const DEFAULTS = {
  jwksTimeoutMs: 3_000,
  jwksCooldownMs: 30_000,
  jwksCacheMaxAgeMs: 600_000,
  jwksMaxBytes: 1024 * 1024,
  jwksFailureBackoffMs: 1_000,
  tokenCacheSize: 10_000,
  rateLimitMaxKeys: 100_000,
  redisConnectTimeoutMs: 500,
  redisCommandTimeoutMs: 250,
  redisLogIntervalMs: 10_000,
  cacheMaxBytes: 64 * 1024 * 1024,
  cacheMaxObjectBytes: 1024 * 1024,
  cacheMaxWaiters: 1_000,
  // API Gateway WebSocket APIs close idle connections after 10 minutes (API Gateway WebSocket quotas: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
  wsIdleTimeoutMs: 600_000,
  wsMaxBufferedBytes: 4 * 1024 * 1024,
  wsCloseGraceMs: 1_000,
  // Lambda's synchronous invocation payload limit (6 MB).
  lambdaMaxResponseBytes: 6 * 1024 * 1024,
} as const;

/**
 * The rate-limit/bucket key of a client address: IPv4 as is, IPv4-mapped IPv6 as IPv4, and IPv6
 * masked to its /64 (one subscriber usually owns a whole /64, as @fastify/rate-limit assumes).
 */
export function ipKey(ip: string): string {
  if (ip.indexOf(':') === -1) return ip;
  const lower = ip.toLowerCase();
  if (lower.startsWith('::ffff:') && isIPv4(lower.slice(7))) return lower.slice(7);
  if (!isIPv6(lower)) return lower;
  const zone = lower.indexOf('%');
  const addr = zone === -1 ? lower : lower.slice(0, zone);
  const [head = '', tail = ''] = addr.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = addr.includes('::') ? [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Header-safe value: visible ASCII and spaces pass; anything else is percent-encoded (UTF-8). */
export function headerValue(v: string): string | undefined {
  // RFC 9110 §5.5: field values are visible ASCII, SP and HTAB; CR, LF and NUL are never allowed.
  if (/^[\x20-\x7e]*$/.test(v)) return v;
  try {
    return encodeURIComponent(v);
  } catch {
    return undefined; // a lone surrogate: not representable, the header is left out
  }
}

const MAX_CLAIM_HEADER = 4096;

/**
 * Headers that carry a verified identity upstream: `x-user-id` (the subject) and, for JWTs,
 * `x-user-<claim>` for each forwarded claim (`_` becomes `-`). The core removes client-sent
 * x-user-* headers before adding these.
 */
export function identityHeaders(identity: Identity, forwardClaims: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const claims = identity.claims;
  if (claims) {
    for (const name of forwardClaims) {
      const v = claims[name];
      let s: string | undefined;
      if (typeof v === 'string') s = v;
      else if (typeof v === 'number' || typeof v === 'boolean') s = String(v);
      else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) s = v.join(',');
      if (s === undefined) continue;
      const value = headerValue(s);
      if (value === undefined || value.length > MAX_CLAIM_HEADER) continue;
      out[`x-user-${name.replace(/_/g, '-')}`] = value;
    }
  }
  out['x-user-id'] = headerValue(identity.subject) ?? '';
  return out;
}

/** A Map kept in least-recently-used order, bounded by entry count. */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }
  delete(key: K): void {
    this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
  }
}

/** Calls `fn` at most once per interval (for "Redis down" style log lines). */
export function throttled(intervalMs: number, fn: (err: unknown) => void): (err: unknown) => void {
  let last = -Infinity;
  return (err) => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    fn(err);
  };
}

/** Lowercase header value as a single string (duplicates joined as Node does). */
export function headerString(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(', ') : v;
}
