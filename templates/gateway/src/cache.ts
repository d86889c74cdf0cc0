// Response cache for routes with `cacheTtlSeconds` (a shared cache in the sense of RFC 9111).
//
// Stored only when all hold: GET (HEAD is served from a stored GET, never stored itself); no request
// body; no method-override header; status 200; the complete body arrived and fits the object limit;
// no Set-Cookie; Cache-Control has none of no-store, private, no-cache; Vary is not `*`; and, when the
// request carried credentials (Authorization, Cookie or the API-key header), the response says
// `public` or `s-maxage` (RFC 9111 §3.5). Freshness = the route's TTL, shortened by the response's
// s-maxage / max-age / Expires and by its Age.
//
// Key = route name + normalised path (the core's: dot segments resolved, unreserved characters
// decoded) + the raw query string (not reordered: `?a=1&b=2` and `?b=2&a=1` are two entries) + the
// request's Origin (so CORS-reflecting upstreams cannot poison other origins). Headers the response
// lists in Vary are compared on lookup (one variant per key; a different variant replaces it),
// except Accept-Encoding: a stored Content-Encoding is served to every client that accepts it. Inputs that change the body but
// are not keyed (X-Forwarded-Host, X-Original-URL, …) are stripped by the core before the upstream.
//
// Memory: an LRU bounded by bytes (default 64 MiB, objects up to 1 MiB). Concurrent misses for
// one key are coalesced: one request goes upstream, the others wait for it (bounded by the route
// timeout) and are served from its entry, or go upstream themselves when it was not storable.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULTS, headerString, type PolicyOptions } from './policies-shared.js';
import type { GatewayDeps, RequestContext, RouteConfig, Stage } from './types.js';

interface Entry {
  key: string;
  headers: [string, string | string[]][];
  body: Buffer;
  storedAt: number;
  expiresAt: number;
  /** Age the upstream reported when stored (seconds). */
  initialAge: number;
  vary: { names: string[]; values: (string | undefined)[] } | null;
  encoding: string | undefined;
  size: number;
}

// RFC 9110 §7.6.1 hop-by-hop fields, plus fields recomputed per answer.
const NOT_STORED = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-authenticate', 'age', 'set-cookie', 'x-cache', 'content-length']);
const OVERRIDE_HEADERS = ['x-http-method-override', 'x-http-method', 'x-method-override'];

/** Cache-Control directives, lowercased; values without quotes. */
export function parseCacheControl(v: string | string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const s = headerString(v);
  if (!s) return out;
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '') continue;
    const value = eq === -1 ? '' : part.slice(eq + 1).trim().replace(/^"|"$/g, '');
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

function seconds(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Math.min(Number(v), 2_147_483_647);
}

/** Freshness lifetime in seconds for a response (0 = do not store). RFC 9111 §4.2.1. */
export function freshnessSeconds(routeTtl: number, headers: Record<string, string | string[]>, credentials: boolean): number {
  if (headers['set-cookie'] !== undefined) return 0;
  const vary = headerString(headers.vary);
  if (vary !== undefined && vary.split(',').some((v) => v.trim() === '*')) return 0;
  const cc = parseCacheControl(headers['cache-control']);
  if (cc.has('no-store') || cc.has('private') || cc.has('no-cache')) return 0;
  const sMaxAge = seconds(cc.get('s-maxage'));
  if (credentials && !cc.has('public') && sMaxAge === undefined) return 0;
  let ttl = routeTtl;
  const maxAge = sMaxAge ?? seconds(cc.get('max-age'));
  if (maxAge !== undefined) ttl = Math.min(ttl, maxAge);
  else {
    const expires = headerString(headers.expires);
    if (expires !== undefined) {
      const exp = Date.parse(expires);
      const date = Date.parse(headerString(headers.date) ?? '') || Date.now();
      // An invalid Expires means "already expired" (RFC 9111 §5.3).
      ttl = Number.isNaN(exp) ? 0 : Math.min(ttl, Math.floor((exp - date) / 1000));
    }
  }
  const age = seconds(headerString(headers.age)) ?? 0;
  return Math.max(0, ttl - age);
}

function accepts(req: IncomingMessage, encoding: string | undefined): boolean {
  if (encoding === undefined || encoding === 'identity') return true;
  const ae = req.headers['accept-encoding'];
  if (ae === undefined) return false;
  return ae
    .toLowerCase()
    .split(',')
    .some((p) => {
      const [coding = '', ...params] = p.trim().split(';');
      const q = params.map((x) => x.trim()).find((x) => x.startsWith('q='));
      return (coding === encoding || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
    });
}

class LruBytes {
  private readonly map = new Map<string, Entry>();
  bytes = 0;
  constructor(private readonly maxBytes: number) {}
  get(key: string): Entry | undefined {
    const e = this.map.get(key);
    if (e !== undefined) {
      this.map.delete(key);
      this.map.set(key, e);
    }
    return e;
  }
  delete(key: string): void {
    const e = this.map.get(key);
    if (e === undefined) return;
    this.map.delete(key);
    this.bytes -= e.size;
  }
  set(e: Entry): void {
    this.delete(e.key);
    this.map.set(e.key, e);
    this.bytes += e.size;
    for (const [k, old] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= old.size;
    }
  }
  get size(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }
}

export interface ResponseCache {
  stage: Stage;
  /** Entries and bytes held (tests, metrics). */
  stats(): { entries: number; bytes: number };
  clear(): void;
}

export function createResponseCache(deps: GatewayDeps, opts: PolicyOptions['cache'] = {}, apiKeyHeader?: string): ResponseCache {
  const maxObject = opts.maxObjectBytes ?? DEFAULTS.cacheMaxObjectBytes;
  const maxWaiters = opts.maxWaiters ?? DEFAULTS.cacheMaxWaiters;
  const lru = new LruBytes(opts.maxBytes ?? DEFAULTS.cacheMaxBytes);
  const inflight = new Map<string, { promise: Promise<Entry | null>; waiters: number }>();

  const hasCredentials = (req: IncomingMessage): boolean =>
    req.headers.authorization !== undefined || req.headers.cookie !== undefined || (apiKeyHeader !== undefined && req.headers[apiKeyHeader] !== undefined);

  const keyOf = (ctx: RequestContext): string => {
    const q = ctx.query.startsWith('?') ? ctx.query.slice(1) : ctx.query;
    return `GET\0${ctx.route.name}\0${ctx.path}\0${q}\0${ctx.req.headers.origin ?? ''}`;
  };

  const usable = (e: Entry, req: IncomingMessage, now: number): boolean => {
    if (e.expiresAt <= now) return false;
    if (e.vary !== null) {
      const { names, values } = e.vary;
      for (let i = 0; i < names.length; i++) if (headerString(req.headers[names[i] as string]) !== values[i]) return false;
    }
    return accepts(req, e.encoding);
  };

  const serve = (ctx: RequestContext, e: Entry, now: number): void => {
    const res: ServerResponse = ctx.res;
    for (const [k, v] of e.headers) res.setHeader(k, v);
    // Fields earlier policies added for this response (RateLimit).
    const added = ctx.responseHeaders;
    if (added !== undefined) for (let i = 0; i + 1 < added.length; i += 2) res.appendHeader(added[i] as string, added[i + 1] as string);
    // RFC 9111 §5.1: Age = the upstream's age when stored + our residence time.
    res.setHeader('age', String(e.initialAge + Math.floor((now - e.storedAt) / 1000)));
    res.setHeader('x-cache', 'HIT');
    res.setHeader('content-length', String(e.body.length));
    res.writeHead(200);
    res.end(ctx.req.method === 'HEAD' ? undefined : e.body);
    deps.metrics.count('cache_hit', { route: ctx.route.name });
  };

  const store = (route: RouteConfig, key: string, req: IncomingMessage, credentials: boolean, status: number, headers: Record<string, string | string[]>, body: Buffer): Entry | null => {
    if (status !== 200 || body.length > maxObject) return null;
    // A declared length that does not match means a truncated body (RFC 9112 §6.3): never store it.
    const cl = headerString(headers['content-length']);
    if (cl !== undefined && /^\d+$/.test(cl) && Number(cl) !== body.length) return null;
    const ttl = freshnessSeconds(route.cacheTtlSeconds ?? 0, headers, credentials);
    if (ttl <= 0) return null;
    const vary = headerString(headers.vary);
    const names = vary === undefined ? [] : vary.split(',').map((v) => v.trim().toLowerCase()).filter((v) => v !== '' && v !== 'origin' && v !== 'accept-encoding');
    const kept: [string, string | string[]][] = [];
    let size = body.length + 256;
    for (const [k, v] of Object.entries(headers)) {
      const name = k.toLowerCase();
      if (NOT_STORED.has(name)) continue;
      kept.push([name, v]);
      size += name.length + (Array.isArray(v) ? v.join('').length : v.length);
    }
    const now = Date.now();
    const e: Entry = {
      key,
      headers: kept,
      body,
      storedAt: now,
      expiresAt: now + ttl * 1000,
      initialAge: seconds(headerString(headers.age)) ?? 0,
      vary: names.length === 0 ? null : { names, values: names.map((n) => headerString(req.headers[n])) },
      encoding: headerString(headers['content-encoding'])?.trim().toLowerCase(),
      size,
    };
    lru.set(e);
    deps.metrics.count('cache_store', { route: route.name });
    return e;
  };

  const miss = (ctx: RequestContext, key: string): boolean => {
    const res = ctx.res;
    (ctx.responseHeaders ??= []).push('x-cache', 'MISS');
    deps.metrics.count('cache_miss', { route: ctx.route.name });
    if (ctx.req.method !== 'GET' || inflight.has(key)) return false;
    const credentials = hasCredentials(ctx.req);
    let settle: (e: Entry | null) => void = () => undefined;
    const promise = new Promise<Entry | null>((resolve) => {
      settle = (e) => {
        if (inflight.get(key)?.promise === promise) inflight.delete(key);
        resolve(e);
      };
    });
    inflight.set(key, { promise, waiters: 0 });
    const route = ctx.route;
    const req = ctx.req;
    ctx.capture = {
      maxBytes: maxObject,
      done(status, headers, body) {
        settle(store(route, key, req, credentials, status, headers, body));
      },
    };
    // Whatever happens to the leader (error, oversize, client gone), waiters are released.
    res.once('close', () => settle(null));
    return false;
  };

  const stage: Stage = {
    name: 'cache',
    handle(ctx: RequestContext): boolean | Promise<boolean> {
      if (ctx.route.cacheTtlSeconds === undefined) return false;
      const req = ctx.req;
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      // A body on GET/HEAD has no defined meaning and is not keyed: neither served nor stored.
      const cl = req.headers['content-length'];
      if (req.headers['transfer-encoding'] !== undefined || (cl !== undefined && cl !== '0')) return false;
      for (const h of OVERRIDE_HEADERS) if (req.headers[h] !== undefined) return false;
      const key = keyOf(ctx);
      const now = Date.now();
      const e = lru.get(key);
      if (e !== undefined) {
        if (usable(e, req, now)) {
          serve(ctx, e, now);
          return true;
        }
        if (e.expiresAt <= now) lru.delete(key);
      }
      const flight = inflight.get(key);
      if (flight !== undefined && flight.waiters < maxWaiters) {
        flight.waiters++;
        return flight.promise.then((entry) => {
          const t = Date.now();
          if (entry !== null && usable(entry, req, t) && !ctx.res.destroyed) {
            serve(ctx, entry, t);
            return true;
          }
          return miss(ctx, key);
        });
      }
      return miss(ctx, key);
    },
  };

  return {
    stage,
    stats: () => ({ entries: lru.size, bytes: lru.bytes }),
    clear: () => lru.clear(),
  };
}
