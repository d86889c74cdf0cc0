// The gateway's policies, built from edge.yaml: what runs before authentication (ip/global rate
// limits), authentication (JWT, API keys), after it (client rate limits, API-key quotas, the
// response cache), the terminal stage for `compute: lambda`, and WebSocket upgrades. Only the
// stages some route needs are created, so a route without policies pays one Map lookup per stage.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createApiKeyAuth, type ApiKeyAuth } from './auth-apikey.js';
import { createJwtAuth, type JwtAuth } from './auth-jwt.js';
import { createResponseCache } from './cache.js';
import { createLambdaRuntime } from './lambda.js';
import { DEFAULTS, PolicyError, throttled, type PolicyOptions } from './policies-shared.js';
import { MemoryQuotaStore, quotaStage, RedisQuotaStore, type QuotaStore } from './quota.js';
import { createRedis, RedisGcraStore, type EdgeRedis } from './ratelimit-redis.js';
import { GcraMemoryStore, gcraParams, rateLimitStage, RouteLimiter, type FailMode, type LimitStore } from './ratelimit.js';
import { createWebSocketProxy, type UpgradePolicies } from './websocket.js';
import type { GatewayDeps, Policies, RequestContext, RouteConfig, Stage } from './types.js';

export type { PolicyOptions } from './policies-shared.js';

/**
 * Builds the policies for `deps.config`. Fails fast (PolicyError with an `EW_GW_*` code) on
 * configuration that cannot be enforced: an `auth: jwt` route without usable `auth.jwt`, missing
 * secrets, a Lambda route without its handler.
 */
export async function createPolicies(deps: GatewayDeps, opts: PolicyOptions = {}): Promise<Policies> {
  const config = deps.config;
  const env = opts.env ?? process.env;
  const log = deps.log.child({ component: 'policies' });
  const routes = config.routes;
  const closers: (() => void | Promise<void>)[] = [];

  // Authentication: only what some route uses (a missing API_KEYS is fine when no route needs keys).
  let jwt: JwtAuth | undefined;
  let apiKey: ApiKeyAuth | undefined;
  if (routes.some((r) => r.auth === 'jwt')) {
    if (!config.auth.jwt) throw new PolicyError('EW_GW_JWT_CONFIG', 'a route uses auth: jwt but auth.jwt is missing');
    jwt = createJwtAuth(config.auth.jwt, deps, { ...opts, env });
    closers.push(() => jwt?.close());
  }
  if (routes.some((r) => r.auth === 'api-key')) {
    if (!config.auth.apiKeys) throw new PolicyError('EW_GW_APIKEY_CONFIG', 'a route uses auth: api-key but auth.apiKeys is missing');
    apiKey = createApiKeyAuth(config.auth.apiKeys, deps, env);
  }

  // Shared Redis for limits and quotas (replicas share counters).
  let redis: EdgeRedis | undefined;
  const failMode: FailMode = config.gateway.redis?.failMode ?? 'open';
  const needsStore = routes.some((r) => r.rateLimit) || (config.auth.apiKeys?.quota !== undefined && apiKey !== undefined);
  if (config.gateway.redis && needsStore) {
    redis = createRedis(config.gateway.redis.url, log, opts.redis);
    const r = redis;
    closers.push(async () => {
      await r.quit().catch(() => r.disconnect());
    });
  }
  const storeDown = throttled(opts.redis?.logIntervalMs ?? DEFAULTS.redisLogIntervalMs, (err) =>
    log.warn({ err: err instanceof Error ? err.message : String(err), failMode }, failMode === 'open' ? 'limit store unavailable: allowing requests' : 'limit store unavailable: refusing requests'),
  );

  const preLimiters = new Map<string, RouteLimiter>();
  const postLimiters = new Map<string, RouteLimiter>();
  for (const route of routes) {
    if (!route.rateLimit) continue;
    const { intervalMs, toleranceMs } = gcraParams(route.rateLimit);
    const store: LimitStore = redis
      ? new RedisGcraStore(redis, `${config.name}:rl:${route.name}`, intervalMs, toleranceMs, storeDown)
      : new GcraMemoryStore(intervalMs, toleranceMs, opts.rateLimitMaxKeys ?? DEFAULTS.rateLimitMaxKeys);
    const limiter = new RouteLimiter(route, route.rateLimit, store, failMode);
    // ip/global limits do not need to know who the client is: they run before authentication, so
    // a flood of bad tokens is refused before any signature is checked.
    (route.rateLimit.key === 'client' ? postLimiters : preLimiters).set(route.name, limiter);
  }

  let quota: { store: QuotaStore; failMode: FailMode } | undefined;
  const q = config.auth.apiKeys?.quota;
  if (q && apiKey) {
    const store = redis ? new RedisQuotaStore(redis, `${config.name}:quota`, q.requests, q.periodSeconds, storeDown) : new MemoryQuotaStore(q.requests, q.periodSeconds);
    quota = { store, failMode };
  }

  const preAuth: Stage[] = [];
  const auth: Stage[] = [];
  const postAuth: Stage[] = [];
  if (preLimiters.size > 0) preAuth.push(rateLimitStage('ratelimit-pre', preLimiters, deps));
  if (jwt || apiKey) auth.push(authStage(jwt, apiKey, deps));
  if (postLimiters.size > 0) postAuth.push(rateLimitStage('ratelimit-client', postLimiters, deps));
  if (quota) postAuth.push(quotaStage(quota.store, q?.periodSeconds ?? 0, quota.failMode, deps));
  if (routes.some((r) => r.cacheTtlSeconds !== undefined) && config.compute !== 'lambda') {
    const cache = createResponseCache(deps, opts.cache, apiKey?.header);
    postAuth.push(cache.stage);
    closers.push(() => cache.clear());
  }

  const upgradePolicies: UpgradePolicies = { jwt, apiKey, preLimiters, postLimiters, quota };
  let terminal: Stage | undefined;
  let upgrade: Policies['upgrade'];
  if (config.compute === 'lambda') {
    const lambda = createLambdaRuntime(deps, upgradePolicies, opts);
    await lambda.preload();
    terminal = lambda.stage;
    upgrade = (req, socket, head, route, clientIp) => lambda.upgrade(req, socket, head, route, clientIp);
    closers.unshift(() => lambda.close());
  } else if (routes.some((r) => r.websocket)) {
    const ws = createWebSocketProxy(deps, upgradePolicies, opts.websocket);
    upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, route: RouteConfig, clientIp: string) => ws.upgrade(req, socket, head, route, clientIp);
    // WebSockets get their 1001 first, while everything else is still up.
    closers.unshift(() => ws.close());
  }

  log.info(
    {
      preAuth: preAuth.map((s) => s.name),
      auth: auth.map((s) => s.name),
      postAuth: postAuth.map((s) => s.name),
      terminal: terminal?.name,
      websocket: upgrade !== undefined,
      store: redis ? 'redis' : 'memory',
    },
    'policies ready',
  );

  let closed: Promise<void> | undefined;
  const policies: Policies = {
    preAuth,
    auth,
    postAuth,
    close() {
      closed ??= (async () => {
        for (const c of closers) {
          try {
            await c();
          } catch (err) {
            log.warn({ err }, 'policy close failed');
          }
        }
      })();
      return closed;
    },
  };
  if (terminal) policies.terminal = terminal;
  if (upgrade) policies.upgrade = upgrade;
  return policies;
}

/** One auth stage for all routes: dispatches on `route.auth`. */
function authStage(jwt: JwtAuth | undefined, apiKey: ApiKeyAuth | undefined, deps: GatewayDeps): Stage {
  return {
    name: 'auth',
    handle(ctx: RequestContext): boolean | Promise<boolean> {
      switch (ctx.route.auth) {
        case 'jwt':
          if (jwt) return jwt.handle(ctx);
          break;
        case 'api-key':
          if (apiKey) return apiKey.handle(ctx);
          break;
        default:
          return false;
      }
      // A route whose auth cannot be enforced must never reach the upstream.
      deps.sendError(ctx.res, 500, 'internal_error');
      return true;
    },
  };
}
