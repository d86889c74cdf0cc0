// API-key quotas (`auth.apiKeys.quota`: requests per periodSeconds, per key, across all api-key
// routes) — the local stand-in for API Gateway usage-plan quotas. Periods are fixed windows aligned
// to the Unix epoch (a 86400 s quota resets at 00:00 UTC). Exhausted → 429 with Retry-After until the
// window ends; every answer carries the quota in RateLimit fields (policy "quota"). Counters live in
// memory (one per configured key, so bounded) or in Redis with `gateway.redis`.
import { redisKey, type EdgeRedis } from './ratelimit-redis.js';
import { withPolicyHeaders, type FailMode } from './ratelimit.js';
import type { GatewayDeps, RequestContext, Stage } from './types.js';

export interface QuotaDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export interface QuotaStore {
  take(subject: string): QuotaDecision | null | Promise<QuotaDecision | null>;
}

export class MemoryQuotaStore implements QuotaStore {
  private readonly used = new Map<string, { window: number; used: number }>();
  constructor(
    private readonly limit: number,
    private readonly periodSeconds: number,
  ) {}

  take(subject: string, nowMs = Date.now()): QuotaDecision {
    const now = Math.floor(nowMs / 1000);
    const window = Math.floor(now / this.periodSeconds);
    const resetSeconds = (window + 1) * this.periodSeconds - now;
    let entry = this.used.get(subject);
    if (entry === undefined || entry.window !== window) {
      entry = { window, used: 0 };
      this.used.set(subject, entry);
    }
    if (entry.used >= this.limit) return { allowed: false, limit: this.limit, remaining: 0, resetSeconds };
    entry.used++;
    return { allowed: true, limit: this.limit, remaining: this.limit - entry.used, resetSeconds };
  }
}

export class RedisQuotaStore implements QuotaStore {
  constructor(
    private readonly redis: EdgeRedis,
    private readonly prefix: string,
    private readonly limit: number,
    private readonly periodSeconds: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  take(subject: string): QuotaDecision | null | Promise<QuotaDecision | null> {
    if (this.redis.status !== 'ready') {
      this.onError(new Error(`redis ${this.redis.status}`));
      return null;
    }
    return this.redis.edgewiseQuota(redisKey(this.prefix, subject), String(this.periodSeconds), String(this.limit)).then(
      ([allowed, used, reset]) => ({ allowed: allowed === 1, limit: this.limit, remaining: Math.max(0, this.limit - used), resetSeconds: reset }),
      (err: unknown) => {
        this.onError(err);
        return null;
      },
    );
  }
}

/** The quota stage: runs after authentication on api-key routes (the identity is the key id). */
export function quotaStage(store: QuotaStore, periodSeconds: number, failMode: FailMode, deps: GatewayDeps): Stage {
  const policy = `"quota";q=%d;w=${periodSeconds}`;
  const finish = (ctx: RequestContext, d: QuotaDecision | null): boolean => {
    const route = ctx.route.name;
    const res = ctx.res;
    if (d === null) {
      if (failMode === 'open') return false;
      deps.metrics.count('quota_unavailable', { route });
      deps.sendError(res, 503, 'quota_unavailable', { 'retry-after': '1' });
      return true;
    }
    const policyHeader = policy.replace('%d', String(d.limit));
    if (d.allowed) {
      (ctx.responseHeaders ??= []).push('ratelimit-policy', policyHeader, 'ratelimit', `"quota";r=${d.remaining};t=${d.resetSeconds}`);
      return false;
    }
    deps.metrics.count('quota_exhausted', { route });
    deps.sendError(
      res,
      429,
      'quota_exceeded',
      withPolicyHeaders(ctx, { 'retry-after': String(Math.max(1, d.resetSeconds)), 'ratelimit-policy': policyHeader, ratelimit: `"quota";r=0;t=${d.resetSeconds}` }),
    );
    return true;
  };
  return {
    name: 'quota',
    handle(ctx: RequestContext): boolean | Promise<boolean> {
      if (ctx.route.auth !== 'api-key' || ctx.identity?.kind !== 'api-key') return false;
      const d = store.take(ctx.identity.subject);
      if (d instanceof Promise) return d.then((x) => finish(ctx, x));
      return finish(ctx, d);
    },
  };
}
