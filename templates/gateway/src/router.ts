// Routing by path prefix on segment boundaries (`/api` matches `/api` and `/api/x`, never
// `/apix`), longest prefix wins, then the method allow-list. Matching runs on the normalised
// path (see target.ts), so `/public/../admin` is routed as `/admin`.
import type { Method, RouteConfig } from './types.js';

const ALL_METHODS: readonly Method[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function methodBit(m: string): number {
  switch (m) {
    case 'GET':
      return 1;
    case 'HEAD':
      return 2;
    case 'POST':
      return 4;
    case 'PUT':
      return 8;
    case 'PATCH':
      return 16;
    case 'DELETE':
      return 32;
    case 'OPTIONS':
      return 64;
    default:
      return 0; // TRACE, CONNECT and anything else: never proxied
  }
}

/** A route with everything the hot path needs precomputed. */
export interface CompiledRoute {
  index: number;
  config: RouteConfig;
  prefix: string;
  methodMask: number;
  /** The Allow header for 405 (RFC 9110 §15.5.6). */
  allow: string;
  bodyLimit: number;
  timeoutMs: number;
  /** Lower-case request headers the route removes before proxying. */
  reqRemove: Set<string> | null;
  /** Flat [name, value, …] request headers the route sets. */
  reqSet: string[];
  resRemove: Set<string> | null;
  resSet: string[];
  /** Index of the target service in the balancer. */
  service: number;
}

export function compileRoute(config: RouteConfig, index: number, service: number): CompiledRoute {
  let mask = 0;
  const methods = config.methods ?? ALL_METHODS;
  for (const m of methods) mask |= methodBit(m);
  // HEAD is GET without the body: a route that allows GET answers HEAD (RFC 9110 §9.3.2).
  if (mask & 1) mask |= 2;
  const allow = ALL_METHODS.filter((m) => mask & methodBit(m)).join(', ');
  const lower = (xs: string[] | undefined): Set<string> | null => (xs && xs.length > 0 ? new Set(xs.map((x) => x.toLowerCase())) : null);
  const flat = (o: Record<string, string> | undefined): string[] => (o ? Object.entries(o).flatMap(([k, v]) => [k.toLowerCase(), v]) : []);
  const reqSet = flat(config.headers?.request?.set);
  const reqRemove = lower([...(config.headers?.request?.remove ?? []), ...reqSet.filter((_, i) => i % 2 === 0)]);
  const resSet = flat(config.headers?.response?.set);
  const resRemove = lower([...(config.headers?.response?.remove ?? []), ...resSet.filter((_, i) => i % 2 === 0)]);
  return {
    index,
    config,
    prefix: config.path,
    methodMask: mask,
    allow,
    bodyLimit: Math.floor(config.bodyLimitMb * 1024 * 1024),
    timeoutMs: Math.round(config.timeoutSeconds * 1000),
    reqRemove,
    reqSet,
    resRemove,
    resSet,
    service,
  };
}

export class Router {
  private readonly byPrefix = new Map<string, CompiledRoute>();

  constructor(readonly routes: CompiledRoute[]) {
    for (const r of routes) this.byPrefix.set(r.prefix, r);
  }

  /** Longest prefix on a segment boundary: try the path, then each parent. O(segments) lookups. */
  match(path: string): CompiledRoute | undefined {
    let p = path;
    for (;;) {
      const r = this.byPrefix.get(p);
      if (r !== undefined) return r;
      if (p.length <= 1) return undefined;
      const i = p.lastIndexOf('/');
      p = i <= 0 ? '/' : p.slice(0, i);
    }
  }

  static allows(route: CompiledRoute, method: string): boolean {
    return (route.methodMask & methodBit(method)) !== 0;
  }

  /** The path sent upstream: prefix removed when the route says so, always absolute. */
  static upstreamPath(route: CompiledRoute, path: string): string {
    if (!route.config.stripPrefix || route.prefix === '/') return path;
    const rest = path.slice(route.prefix.length);
    return rest === '' ? '/' : rest;
  }
}
