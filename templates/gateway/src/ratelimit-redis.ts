// Rate-limit buckets in Redis (`gateway.redis`), so every gateway replica enforces one shared limit.
// Each decision is one atomic Lua script (GCRA on Redis' own clock, so replicas with skewed clocks
// agree). The client never queues or stalls: no offline queue, short connect/command timeouts, one
// retry; when Redis is unreachable the store answers `null` at once and the route's limiter applies
// `gateway.redis.failMode` (open: allow and log once per interval; closed: 503). ioredis keeps
// reconnecting in the background, and limiting resumes as soon as it is ready again.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DEFAULTS, throttled, type PolicyOptions } from './policies-shared.js';
import type { Decision, LimitStore } from './ratelimit.js';

// KEYS[1] bucket; ARGV[1] emission interval T (ms), ARGV[2] tolerance tau (ms).
// Returns { allowed, remaining, resetMs, retryAfterMs }.
const GCRA_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local nxt = tat + interval
if nxt - now > tolerance then
  return {0, 0, math.ceil(tat - now), math.ceil(nxt - tolerance - now)}
end
redis.call('SET', KEYS[1], string.format('%.3f', nxt), 'PX', math.max(1, math.ceil(nxt - now)))
return {1, math.floor((tolerance - (nxt - now)) / interval), math.ceil(nxt - now), 0}
`;

type GcraReply = [number, number, number, number];
export type EdgeRedis = Redis & {
  edgewiseGcra(key: string, interval: string, tolerance: string): Promise<GcraReply>;
  edgewiseQuota(key: string, period: string, limit: string): Promise<[number, number, number]>;
};

// KEYS[1] quota prefix; ARGV[1] period (s), ARGV[2] limit. Fixed windows aligned to the epoch on
// Redis' clock; a denied request does not consume quota. Returns { allowed, used, resetSeconds }.
const QUOTA_LUA = `
local now = tonumber(redis.call('TIME')[1])
local period = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local win = math.floor(now / period)
local key = KEYS[1] .. ':' .. win
local used = tonumber(redis.call('GET', key) or '0') or 0
local reset = (win + 1) * period - now
if used >= limit then return {0, used, reset} end
used = redis.call('INCR', key)
if used == 1 then redis.call('EXPIRE', key, period + 60) end
return {1, used, reset}
`;

/** One ioredis client for the policies (rate limits and quotas), tuned never to block a request. */
export function createRedis(url: string, log: Logger, opts: PolicyOptions['redis'] = {}): EdgeRedis {
  const logError = throttled(opts.logIntervalMs ?? DEFAULTS.redisLogIntervalMs, (err) =>
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'redis unavailable'),
  );
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    connectTimeout: opts.connectTimeoutMs ?? DEFAULTS.redisConnectTimeoutMs,
    commandTimeout: opts.commandTimeoutMs ?? DEFAULTS.redisCommandTimeoutMs,
    maxRetriesPerRequest: 1,
    // Reconnect quickly, but never faster than every 50 ms nor slower than every second.
    retryStrategy: (times) => Math.min(50 * times, 1000),
    lazyConnect: false,
  });
  redis.on('error', logError);
  redis.on('ready', () => log.info('redis ready'));
  redis.defineCommand('edgewiseGcra', { numberOfKeys: 1, lua: GCRA_LUA });
  redis.defineCommand('edgewiseQuota', { numberOfKeys: 1, lua: QUOTA_LUA });
  return redis as EdgeRedis;
}

/** Redis keys: `edgewise:<project>:<kind>:<route>:<client>`; long client ids are hashed. */
export function redisKey(...parts: string[]): string {
  const last = parts[parts.length - 1] ?? '';
  if (last.length > 128) parts[parts.length - 1] = createHash('sha256').update(last).digest('base64url');
  return `edgewise:${parts.join(':')}`;
}

export class RedisGcraStore implements LimitStore {
  private readonly interval: string;
  private readonly tolerance: string;
  constructor(
    private readonly redis: EdgeRedis,
    private readonly prefix: string,
    intervalMs: number,
    toleranceMs: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.interval = intervalMs.toFixed(3);
    this.tolerance = toleranceMs.toFixed(3);
  }

  take(key: string): Decision | null | Promise<Decision | null> {
    // Not connected: answer at once (the offline queue is off, so this is what ioredis would do).
    if (this.redis.status !== 'ready') {
      this.onError(new Error(`redis ${this.redis.status}`));
      return null;
    }
    return this.redis.edgewiseGcra(redisKey(this.prefix, key), this.interval, this.tolerance).then(
      ([allowed, remaining, resetMs, retryMs]) => ({
        allowed: allowed === 1,
        remaining: Math.max(0, remaining),
        resetSeconds: Math.max(allowed === 1 ? 0 : 1, Math.ceil(resetMs / 1000)),
        retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(retryMs / 1000)),
      }),
      (err: unknown) => {
        this.onError(err);
        return null;
      },
    );
  }
}
