// Per-route rate limits (`route.rateLimit`). The algorithm is GCRA, the "virtual scheduling" form of
// a token bucket (ITU-T I.371; the algorithm behind redis-cell and Stripe's limiter): one number per
// key (the theoretical arrival time, TAT), `requests` per `windowSeconds` in the long run, and
// up to `requests + burst` at once from a full bucket. Keys: `ip` = the client address the core
// resolved (never a header the client controls), `client` = the authenticated subject (the address
// when anonymous), `global` = one bucket per route. ip/global limits run before authentication, client
// limits after it. With `gateway.redis` the buckets live in Redis (ratelimit-redis.ts) so replicas
// share them.
import { ipKey } from './policies-shared.js';
import type { GatewayDeps, Identity, RateLimitConfig, RequestContext, RouteConfig, Stage } from './types.js';

export interface Decision {
  allowed: boolean;
  /** Requests still allowed right now. */
  remaining: number;
  /** Seconds until the bucket is full again (the `t` of the RateLimit field). */
  resetSeconds: number;
  /** Seconds until the next request would be allowed (only when denied). */
  retryAfterSeconds: number;
}

/** A bucket store: returns a decision, or null when the store is unavailable (Redis down). */
export interface LimitStore {
  take(key: string): Decision | null | Promise<Decision | null>;
}

/** GCRA parameters of a limit: emission interval T (ms per request) and tolerance tau = capacity × T. */
export function gcraParams(limit: RateLimitConfig): { intervalMs: number; toleranceMs: number; capacity: number } {
  const intervalMs = (limit.windowSeconds * 1000) / limit.requests;
  const capacity = limit.requests + (limit.burst ?? 0);
  return { intervalMs, toleranceMs: capacity * intervalMs, capacity };
}

/**
 * In-memory GCRA buckets. Memory is bounded: an entry whose TAT has passed is equivalent to no
 * entry (a full bucket), so expired entries are dropped without changing any decision (a sweep
 * every 1024 updates). When more than `maxKeys` keys are still active within one
 * window-plus-burst period, the least recently seen key is forgotten (its bucket refills), which
 * takes more than `maxKeys` distinct client addresses or identities inside one period.
 */
export class GcraMemoryStore implements LimitStore {
  private readonly tat = new Map<string, number>();
  private readonly scratch: Decision = { allowed: true, remaining: 0, resetSeconds: 0, retryAfterSeconds: 0 };
  private updates = 0;
  evictions = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly toleranceMs: number,
    private readonly maxKeys: number,
  ) {}

  get size(): number {
    return this.tat.size;
  }

  /** The returned object is reused: read it before the next call. */
  take(key: string, now = Date.now()): Decision {
    const stored = this.tat.get(key);
    const tat = stored === undefined || stored < now ? now : stored;
    const next = tat + this.intervalMs;
    const d = this.scratch;
    if (next - now > this.toleranceMs) {
      d.allowed = false;
      d.remaining = 0;
      d.retryAfterSeconds = Math.max(1, Math.ceil((next - this.toleranceMs - now) / 1000));
      d.resetSeconds = Math.max(1, Math.ceil((tat - now) / 1000));
      return d;
    }
    if (stored !== undefined) this.tat.delete(key);
    this.tat.set(key, next);
    if (this.tat.size > this.maxKeys || (++this.updates & 1023) === 0) this.sweep(now);
    d.allowed = true;
    d.remaining = Math.max(0, Math.floor((this.toleranceMs - (next - now)) / this.intervalMs));
    d.resetSeconds = Math.ceil((next - now) / 1000);
    d.retryAfterSeconds = 0;
    return d;
  }

  private sweep(now: number): void {
    // Map iteration is in last-update order: stale entries sit at the front.
    for (const [k, v] of this.tat) {
      if (v <= now) this.tat.delete(k);
      else if (this.tat.size > this.maxKeys) {
        this.tat.delete(k);
        this.evictions++;
      } else break;
    }
  }
}

export type FailMode = 'open' | 'closed';

/** One route's limit: its store, key kind and the header texts. */
export class RouteLimiter {
  /** draft-ietf-httpapi-ratelimit-headers-10 §4: `"<policy>";q=<quota>;w=<window>`. */
  readonly policyHeader: string;
  constructor(
    readonly route: RouteConfig,
    readonly limit: RateLimitConfig,
    readonly store: LimitStore,
    readonly failMode: FailMode,
  ) {
    this.policyHeader = `"${route.name}";q=${limit.requests + (limit.burst ?? 0)};w=${limit.windowSeconds}`;
  }

  keyOf(clientIp: string, identity: Identity | undefined): string {
    switch (this.limit.key) {
      case 'global':
        return '*';
      case 'ip':
        return ipKey(clientIp);
      default:
        return identity ? `s:${identity.kind}:${identity.subject}` : `i:${ipKey(clientIp)}`;
    }
  }

  take(clientIp: string, identity: Identity | undefined): Decision | null | Promise<Decision | null> {
    return this.store.take(this.keyOf(clientIp, identity));
  }

  /** draft-ietf-httpapi-ratelimit-headers-10 §5: `"<policy>";r=<remaining>;t=<reset>`. */
  stateHeader(d: Decision): string {
    return `"${this.route.name}";r=${d.remaining};t=${d.resetSeconds}`;
  }

  deniedHeaders(d: Decision): Record<string, string> {
    // RFC 6585 §4: 429 MAY carry Retry-After (RFC 9110 §10.2.3: delay-seconds).
    return { 'retry-after': String(d.retryAfterSeconds), 'ratelimit-policy': this.policyHeader, ratelimit: `"${this.route.name}";r=0;t=${d.retryAfterSeconds}` };
  }
}

/** What a limit decided for one request, independent of how the answer is written. */
export type LimitVerdict = { ok: true; decision?: Decision } | { ok: false; status: 429 | 503; error: string; headers: Record<string, string> };

export function verdictOf(limiter: RouteLimiter, d: Decision | null): LimitVerdict {
  if (d === null) {
    if (limiter.failMode === 'open') return { ok: true };
    return { ok: false, status: 503, error: 'rate_limit_unavailable', headers: { 'retry-after': '1' } };
  }
  if (d.allowed) return { ok: true, decision: d };
  return { ok: false, status: 429, error: 'rate_limited', headers: limiter.deniedHeaders(d) };
}

/** Checks a route's limiter for an upgrade request (WebSocket), resolving to a verdict. */
export async function checkLimit(limiter: RouteLimiter | undefined, clientIp: string, identity: Identity | undefined): Promise<LimitVerdict> {
  if (!limiter) return { ok: true };
  const d = await limiter.take(clientIp, identity);
  const v = verdictOf(limiter, d);
  // Copy: the memory store reuses its decision object.
  return v.ok && v.decision ? { ok: true, decision: { ...v.decision } } : v;
}

/**
 * The pipeline stage for a set of limiters (one per route). Allowed requests get the RateLimit
 * fields on their response; denied ones a 429 before anything else runs (and before the upstream).
 */
export function rateLimitStage(name: string, limiters: Map<string, RouteLimiter>, deps: GatewayDeps): Stage {
  const finish = (limiter: RouteLimiter, ctx: RequestContext, d: Decision | null): boolean => {
    if (d !== null && d.allowed) {
      (ctx.responseHeaders ??= []).push('ratelimit-policy', limiter.policyHeader, 'ratelimit', limiter.stateHeader(d));
      return false;
    }
    const v = verdictOf(limiter, d);
    if (v.ok) return false;
    deps.metrics.count(v.status === 429 ? 'ratelimit_rejected' : 'ratelimit_unavailable', { route: limiter.route.name });
    deps.sendError(ctx.res, v.status, v.error, withPolicyHeaders(ctx, v.headers));
    return true;
  };
  return {
    name,
    handle(ctx: RequestContext): boolean | Promise<boolean> {
      const limiter = limiters.get(ctx.route.name);
      if (limiter === undefined) return false;
      const d = limiter.take(ctx.clientIp, ctx.identity);
      if (d instanceof Promise) return d.then((x) => finish(limiter, ctx, x));
      return finish(limiter, ctx, d);
    },
  };
}


/**
 * Headers for a policy's own error answer: what earlier policies added for the response (e.g. the
 * ip limit's RateLimit fields when the client limit refuses) plus the refusal's own, which win.
 */
export function withPolicyHeaders(ctx: RequestContext, own: Record<string, string>): Record<string, string> {
  const added = ctx.responseHeaders;
  if (added === undefined || added.length === 0) return own;
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < added.length; i += 2) {
    const k = added[i] as string;
    out[k] = out[k] === undefined ? (added[i + 1] as string) : `${out[k]}, ${added[i + 1]}`;
  }
  for (const k of Object.keys(own)) out[k] = own[k] as string;
  return out;
}
