// EdgeSpec routes → the per-route view-models of the nginx target: where a route goes (a service
// pool, or the TypeScript gateway), its limits, cache, headers and what nginx cannot do for it.
import type { EdgeSpec, Route } from '../../spec/schema.js';
import { duration, plural, rate, size, wrap } from './units.js';

export const GATEWAY_UPSTREAM = 'edge_gateway';
export const gatewayUpstream = (grpc = false): string => (grpc ? `${GATEWAY_UPSTREAM}_grpc` : GATEWAY_UPSTREAM);
export const CACHE_ZONE = 'edge_cache';
/** HTTP and gRPC get separate pools: nginx's keep-alive cache does not tell HTTP/1.1 connections from HTTP/2 ones. */
export const upstreamName = (service: string, grpc = false): string => `${grpc ? 'grpc' : 'svc'}_${service}`;
export const rateZoneName = (route: string): string => `rl_${route}`;

/** A header directive: `value` is a finished nginx token (a quoted literal, a variable or ""). */
export interface HeaderVm {
  name: string;
  value: string;
}

export interface RateZoneVm {
  zone: string;
  key: string;
  size: string;
  rate: string;
  comment: string;
}

export interface RouteVm {
  name: string;
  /** The include file, relative to proxy/nginx/. */
  file: string;
  /** `location` arguments: the exact path and everything below it. */
  locations: string[];
  summary: string;
  grpc: boolean;
  /** Comment lines, `#` included. */
  notes: string[];
  requestHeaders: HeaderVm[];
  responseHeaders: HeaderVm[];
  hideHeaders: string[];
  bodyLimit: string;
  /** `options`: " burst=N nodelay", or empty (nginx rejects burst=0). */
  limitReq: { zone: string; options: string }[];
  limitExcept: { methods: string }[];
  timeout: string;
  cache: { zone: string; ttl: string }[];
  pass: string;
}

/** Headers nginx sets or strips itself on every request; a route transform may not override them. */
export const MANAGED_REQUEST_HEADERS = ['host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip', 'forwarded', 'connection', 'upgrade'];
/** Response headers nginx adds on every response (security-headers.conf, cache status). */
export const MANAGED_RESPONSE_HEADERS = ['strict-transport-security', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'content-security-policy', 'x-cache-status', 'server'];

export const hasGateway = (spec: EdgeSpec): boolean => spec.topology.components.includes('ts-gateway');

/**
 * A route goes through the TypeScript gateway when the topology has one, and always when it needs
 * authentication: nginx never authenticates, so such a route must never reach a service directly.
 */
export const viaGateway = (spec: EdgeSpec, route: Route): boolean => hasGateway(spec) || route.auth !== 'none';

/** Where a route's rate limit is enforced: here (keyed on the socket or realip-resolved address), or by the gateway. */
function rateLimitOf(spec: EdgeSpec, route: Route): { zone?: RateZoneVm; burst?: number; notes: string[] } {
  const rl = route.rateLimit;
  if (!rl) return { notes: [] };
  const what = `${rl.requests} requests / ${rl.windowSeconds} s, burst ${rl.burst}, key ${rl.key}`;
  if (rl.key === 'client' && viaGateway(spec, route)) {
    return { notes: [`Rate limit (${what}): enforced by the gateway, which knows the authenticated client; nginx cannot.`] };
  }
  const r = rate(rl.requests, rl.windowSeconds);
  // A bucket of requests + burst tokens refilled at requests/window (what the gateway's token bucket
  // does): nginx's burst counts the requests beyond the first.
  const burst = rl.requests - 1 + rl.burst;
  const notes = [
    `Rate limit (${what}) → limit_req ${r.rate} with burst=${burst}: a bucket of ${rl.requests + rl.burst} requests, refilled at ${r.rate}; past it → 429.`,
  ];
  if (r.approximate) notes.push(`nginx rates are whole requests per second or minute: ${rl.requests}/${rl.windowSeconds} s is approximated as ${r.rate}.`);
  if (rl.key === 'client') notes.push('Key "client" on a route without authentication: the client is its address.');
  const global = rl.key === 'global';
  return {
    zone: {
      zone: rateZoneName(route.name),
      key: global ? '"global"' : '$binary_remote_addr',
      size: global ? '1m' : '10m',
      rate: r.rate,
      comment: `route ${route.name}, ${global ? 'one bucket for all clients' : 'per client address (never a forwarded header)'}`,
    },
    burst,
    notes,
  };
}

function transformsOf(spec: EdgeSpec, route: Route): { request: HeaderVm[]; response: HeaderVm[]; hide: string[]; notes: string[] } {
  const out = { request: [] as HeaderVm[], response: [] as HeaderVm[], hide: [] as string[], notes: [] as string[] };
  const h = route.headers;
  if (!h) return out;
  if (viaGateway(spec, route)) {
    out.notes.push('Header transforms: applied by the gateway.');
    return out;
  }
  const request = new Map<string, string>();
  for (const [name, value] of Object.entries(h.request?.set ?? {})) request.set(name, `"${value}"`);
  for (const name of h.request?.remove ?? []) request.set(name, '""');
  for (const [name, value] of request) {
    if (MANAGED_REQUEST_HEADERS.includes(name.toLowerCase())) out.notes.push(`headers.request ${name}: ignored, nginx manages this header.`);
    else out.request.push({ name, value });
  }
  for (const [name, value] of Object.entries(h.response?.set ?? {})) {
    if (MANAGED_RESPONSE_HEADERS.includes(name.toLowerCase())) {
      out.notes.push(`headers.response.set ${name}: ignored, nginx manages this header.`);
      continue;
    }
    out.hide.push(name); // replace the upstream's value instead of sending two
    out.response.push({ name, value: `"${value}"` });
  }
  for (const name of h.response?.remove ?? []) if (!out.hide.includes(name)) out.hide.push(name);
  return out;
}

export function routeVm(spec: EdgeSpec, route: Route, tlsOn: boolean): { vm: RouteVm; zone?: RateZoneVm } {
  const gateway = viaGateway(spec, route);
  const svc = spec.services.find((s) => s.name === route.service);
  const notes: string[] = [];
  const target = gateway ? `the TypeScript gateway (${gatewayUpstream(route.grpc)})` : `service ${route.service} (${upstreamName(route.service, route.grpc)}, ${plural(svc?.instances ?? 0, 'instance')})`;
  const kind = route.grpc ? 'gRPC' : route.websocket ? 'WebSocket' : 'HTTP';
  const summary = `${route.name}: ${route.path} → ${target}, ${kind}`;

  if (gateway) {
    notes.push(`Goes through the gateway${route.auth !== 'none' ? ` (auth: ${route.auth} is enforced there, never here)` : ''}; the path is passed unchanged (the gateway strips prefixes itself).`);
  } else if (route.stripPrefix && !route.grpc) {
    notes.push(`The prefix ${route.path} is stripped: ${route.path}/x reaches the service as /x.`);
  }

  const limit = rateLimitOf(spec, route);
  notes.push(...limit.notes);

  let cache: RouteVm['cache'] = [];
  if (route.cacheTtlSeconds !== undefined) {
    if (route.grpc || route.websocket) notes.push(`cacheTtlSeconds ${route.cacheTtlSeconds}: not cached (${kind} responses are streams).`);
    else if (gateway) notes.push(`cacheTtlSeconds ${route.cacheTtlSeconds}: cached by the gateway after auth and quotas, not here (an edge cache would answer before them).`);
    else {
      cache = [{ zone: CACHE_ZONE, ttl: duration(route.cacheTtlSeconds) }];
      notes.push(`Cached for ${route.cacheTtlSeconds} s: 200 responses to GET/HEAD without Authorization or Cookie; upstream Cache-Control/Expires take precedence, and no-store/private/Set-Cookie responses are not stored. X-Cache-Status says HIT or MISS.`);
    }
  }

  if (route.websocket) notes.push(`WebSocket: the upgrade is passed through and the tunnel closes after ${duration(route.timeoutSeconds)} without traffic; nginx does not limit message size (the service or gateway must).`);
  if (route.grpc) {
    notes.push(tlsOn ? 'gRPC clients use the TLS listener: nginx 1.22 speaks HTTP/2 only there.' : 'gRPC needs HTTP/2, which nginx 1.22 serves only on a TLS listener; tls.local is off, so gRPC clients cannot reach this route.');
    if (route.stripPrefix && !gateway) notes.push('stripPrefix is ignored: grpc_pass cannot rewrite the path (gRPC paths name the method).');
    if (gateway) notes.push('The gateway must accept gRPC (HTTP/2 cleartext); if it does not, these calls fail with 502 — they never bypass it.');
  }

  const t = transformsOf(spec, route);
  notes.push(...t.notes);
  const requestHeaders: HeaderVm[] = route.grpc
    ? []
    : route.websocket
      ? [
          { name: 'Upgrade', value: '$http_upgrade' },
          { name: 'Connection', value: '$connection_upgrade' },
        ]
      : [{ name: 'Connection', value: '""' }]; // keep-alive to the upstream (proxy_http_version 1.1)
  requestHeaders.push(...t.request);

  const limitExcept = route.methods ? [{ methods: route.methods.join(' ') }] : [];
  if (route.methods) notes.push(`Methods ${route.methods.join(', ')} only${route.methods.includes('GET') ? ' (GET implies HEAD)' : ''}; others get 403 (limit_except cannot answer 405).`);

  const locations = route.path === '/' ? ['/'] : [`= ${route.path}`, `${route.path}/`];
  const upstream = gateway ? gatewayUpstream(route.grpc) : upstreamName(route.service, route.grpc);
  const pass = route.grpc ? `grpc://${upstream}` : gateway || !route.stripPrefix ? `http://${upstream}` : `http://${upstream}/`;

  return {
    vm: {
      name: route.name,
      file: `routes/${route.name}.conf`,
      locations,
      summary,
      grpc: route.grpc,
      notes: notes.flatMap((n) => wrap(n).map((l) => `# ${l}`)),
      requestHeaders,
      responseHeaders: t.response,
      hideHeaders: t.hide,
      bodyLimit: size(route.bodyLimitMb),
      limitReq: limit.zone ? [{ zone: limit.zone.zone, options: limit.burst ? ` burst=${limit.burst} nodelay` : '' }] : [],
      limitExcept,
      timeout: duration(route.timeoutSeconds),
      cache,
      pass,
    },
    ...(limit.zone ? { zone: limit.zone } : {}),
  };
}
