// Comment lines for what standard Caddy (no plugins) cannot do. Each starts with a stable tag that
// tests and operators can grep: `GAP <feature>:` when nothing enforces it, `GATEWAY <feature>:` when
// the TypeScript gateway behind Caddy does. Plugins: https://caddyserver.com/docs/modules/
import type { EdgeSpec, Route } from '../../spec/schema.js';
import type { Upstream } from './routing.js';

const RATE_LIMIT_PLUGIN = 'github.com/mholt/caddy-ratelimit';
const CACHE_PLUGIN = 'github.com/caddyserver/cache-handler';
const L4_PLUGIN = 'github.com/mholt/caddy-l4';

const describeLimit = (r: NonNullable<Route['rateLimit']>): string =>
  `${r.requests} requests per ${r.windowSeconds}s per ${r.key === 'global' ? 'route (one bucket)' : r.key === 'ip' ? 'client address' : 'client'}, burst ${r.burst}`;

export function rateLimitNote(route: Route, up: Upstream): string[] {
  if (!route.rateLimit) return [];
  const what = describeLimit(route.rateLimit);
  if (up.kind === 'gateway') return [`GATEWAY rate-limit: ${what}, enforced by the TypeScript gateway (standard Caddy has no rate limiting).`];
  return [
    `GAP rate-limit: ${what} is NOT enforced: standard Caddy has no rate limiting.`,
    `  Instead: put the TypeScript gateway in front of the services (it keys on the socket address or the`,
    `  authenticated client), or build Caddy with ${RATE_LIMIT_PLUGIN} and key its rate_limit on {remote_host}.`,
  ];
}

export function cacheNote(route: Route, up: Upstream): string[] {
  if (route.cacheTtlSeconds === undefined) return [];
  const what = `cache GET/HEAD responses for ${route.cacheTtlSeconds}s`;
  if (up.kind === 'gateway') return [`GATEWAY cache: ${what}, done by the TypeScript gateway (standard Caddy has no response cache).`];
  return [
    `GAP cache: ${what} is NOT done: standard Caddy has no response cache.`,
    `  Instead: the TypeScript gateway's cache, or build Caddy with ${CACHE_PLUGIN} (Souin).`,
  ];
}

export function authNote(route: Route): string[] {
  return route.auth === 'none' ? [] : [`GATEWAY auth: ${route.auth}, verified by the TypeScript gateway (Caddy forwards the request unchanged).`];
}

export function transformNote(route: Route, up: Upstream): string[] {
  if (!route.headers || up.kind !== 'gateway') return [];
  return ['GATEWAY headers: the route\'s header transforms are applied by the TypeScript gateway.'];
}

export function grpcNote(grpc: boolean, up: Upstream): string[] {
  if (!grpc) return [];
  const lines = ['gRPC: HTTP/2 without TLS (h2c) to the upstream; clients use HTTP/2 over TLS, or h2c on the plain listener.'];
  if (up.kind === 'gateway') lines.push('GATEWAY grpc: the gateway must accept h2c for this route (auth and limits stay in the gateway).');
  return lines;
}

/** File-level notes: what is not enforced anywhere, TLS passthrough, and X-Forwarded-For handling. */
export function fileNotes(spec: EdgeSpec, routes: readonly Route[], ups: readonly Upstream[]): string[] {
  const notes: string[] = [];
  const direct = routes.filter((_, i) => ups[i]!.kind === 'service');
  const unlimited = direct.filter((r) => r.rateLimit).map((r) => r.name);
  const uncached = direct.filter((r) => r.cacheTtlSeconds !== undefined).map((r) => r.name);
  if (unlimited.length > 0 || uncached.length > 0) {
    notes.push(
      'Not enforced by this file (standard Caddy cannot; see the GAP comments below and docs/targets/caddy.md):',
      ...(unlimited.length > 0 ? [`  rate limits of routes ${unlimited.join(', ')}`] : []),
      ...(uncached.length > 0 ? [`  response caching of routes ${uncached.join(', ')}`] : []),
    );
  }
  if (spec.tls.mode === 'passthrough') {
    notes.push(
      `GAP tls-passthrough: tls.mode is passthrough, which standard Caddy cannot do (SNI routing without`,
      `  decryption needs ${L4_PLUGIN}). This file terminates TLS locally instead.`,
    );
  }
  if (spec.trustedProxies.length === 0) {
    notes.push('X-Forwarded-For: no trusted proxies, so Caddy discards the client\'s X-Forwarded-* and sends the socket address.');
  } else {
    notes.push(`X-Forwarded-For: believed only from ${spec.trustedProxies.join(', ')} (reverse_proxy trusted_proxies); from anyone else it is replaced by the socket address.`);
  }
  return notes;
}
