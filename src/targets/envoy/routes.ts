// Envoy route configuration: one virtual host, routes most-specific first, per-route timeouts,
// prefix rewrites, WebSocket upgrades, local rate limits and body limits (typed_per_filter_config).
// Reference: api/envoy/config/route/v3/route_components.proto
import type { EdgeSpec, Route } from '../../spec/schema.js';
import { affinityCookie, bySpecificity, edgePlan, mbToBytes, seconds, type ProxiedRoute, type RoutePlan } from '../edge-plan.js';
import type { Notes, YamlPath } from '../yaml-doc.js';

type Obj = Record<string, unknown>;

export const FILTER_RATELIMIT = 'envoy.filters.http.local_ratelimit';
export const FILTER_BUFFER = 'envoy.filters.http.buffer';
export const TYPE_RATELIMIT = 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
export const TYPE_BUFFER = 'type.googleapis.com/envoy.extensions.filters.http.buffer.v3.Buffer';
const TYPE_BUFFER_ROUTE = 'type.googleapis.com/envoy.extensions.filters.http.buffer.v3.BufferPerRoute';

const hundred = { numerator: 100, denominator: 'HUNDRED' };
const header = (key: string, value: string): Obj => ({ header: { key, value }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' });

function rateLimitConfig(p: ProxiedRoute): Obj | undefined {
  const rl = p.rateLimit;
  if (!rl) return undefined;
  return {
    '@type': TYPE_RATELIMIT,
    stat_prefix: `ratelimit_${p.route.name.replace(/-/g, '_')}`,
    status: { code: 'TooManyRequests' },
    token_bucket: { max_tokens: rl.requests + rl.burst, tokens_per_fill: rl.requests, fill_interval: seconds(rl.windowSeconds) },
    filter_enabled: { runtime_key: 'local_rate_limit_enabled', default_value: hundred },
    filter_enforced: { runtime_key: 'local_rate_limit_enforced', default_value: hundred },
    // Envoy 1.31's local limiter cannot key on the client address: per connection is the closest.
    local_rate_limit_per_downstream_connection: rl.key !== 'global',
  };
}

/** Buffering would break WebSocket and gRPC streaming: no body limit there. */
const bufferConfig = (r: Route, off: boolean): Obj =>
  off || r.websocket || r.grpc ? { '@type': TYPE_BUFFER_ROUTE, disabled: true } : { '@type': TYPE_BUFFER_ROUTE, buffer: { max_request_bytes: mbToBytes(r.bodyLimitMb) } };

function headerTransforms(p: ProxiedRoute): Obj {
  const h = p.headers;
  if (!h) return {};
  const out: Obj = {};
  if (h.request?.set) out.request_headers_to_add = Object.entries(h.request.set).map(([k, v]) => header(k, v));
  if (h.request?.remove) out.request_headers_to_remove = [...h.request.remove];
  if (h.response?.set) out.response_headers_to_add = Object.entries(h.response.set).map(([k, v]) => header(k, v));
  if (h.response?.remove) out.response_headers_to_remove = [...h.response.remove];
  return out;
}

/** RE2-safe literal (spec paths only hold letters, digits and -._~/). */
const escapeRegex = (s: string): string => s.replace(/[.\\+*?^$()[\]{}|]/g, '\\$&');

/** `path_separated_prefix` matches /p and /p/..., never /pX; plus the method and gRPC conditions. */
function routeMatch(r: Route): Obj {
  const methods = r.methods
    ? [{ name: ':method', string_match: r.methods.length === 1 ? { exact: r.methods[0] } : { safe_regex: { regex: `^(${r.methods.join('|')})$` } } }]
    : undefined;
  return { ...(r.path === '/' ? { prefix: '/' } : { path_separated_prefix: r.path }), ...(methods ? { headers: methods } : {}), ...(r.grpc ? { grpc: {} } : {}) };
}

/** The Envoy route of one spec route. */
function envoyRoute(p: RoutePlan): Obj {
  const r = p.route;
  if (p.action === 'refuse') {
    const body = `route ${r.name} is refused at this edge: see proxy/envoy/envoy.yaml\n`;
    return { name: r.name, match: routeMatch(r), direct_response: { status: 403, body: { inline_string: body } }, typed_per_filter_config: { [FILTER_BUFFER]: bufferConfig(r, true) } };
  }
  const perFilter: Obj = {};
  const rl = rateLimitConfig(p);
  if (rl) perFilter[FILTER_RATELIMIT] = rl;
  perFilter[FILTER_BUFFER] = bufferConfig(r, false);
  const strip = p.strip && r.path !== '/';
  const action: Obj = {
    cluster: p.pool.name,
    // An upgraded WebSocket never ends its request, so only the idle timeout bounds it.
    timeout: r.websocket ? '0s' : seconds(r.timeoutSeconds),
    idle_timeout: seconds(r.timeoutSeconds),
    // Affinity: ttl 0s = Envoy sets a session cookie when the client has none (HttpOnly).
    ...(p.pool.sticky ? { hash_policy: [{ cookie: { name: affinityCookie(p.pool), ttl: '0s', path: '/', attributes: [{ name: 'SameSite', value: 'Lax' }] } }] } : {}),
    // One route (one rate-limit bucket) for the path and its subpaths: /p and /p/ become /, /p/x becomes /x.
    ...(strip ? { regex_rewrite: { pattern: { regex: `^${escapeRegex(r.path)}/?` }, substitution: '/' } } : {}),
    ...(r.websocket ? { upgrade_configs: [{ upgrade_type: 'websocket', enabled: true }] } : { retry_policy: { retry_on: 'connect-failure,refused-stream', num_retries: 1 } }),
  };
  return { name: r.name, match: routeMatch(r), route: action, ...headerTransforms(p), typed_per_filter_config: perFilter };
}

function routeNote(p: RoutePlan): string[] {
  const r = p.route;
  if (p.action === 'refuse') return [`Route ${r.name}: ${r.path} (service ${r.service}).`, `REFUSED with 403: ${p.note}`];
  const lines = [`Route ${r.name}: ${r.path} -> ${p.via === 'gateway' ? 'the TypeScript gateway' : `service ${r.service}`}${p.strip && r.path !== '/' ? ' (prefix stripped)' : ''}.`];
  if (p.note) lines.push(`Via the gateway (${p.note}): it enforces this route's auth, rate limit and header transforms; the full path is forwarded.`);
  const rl = p.rateLimit;
  if (rl) {
    lines.push(
      rl.key === 'global'
        ? `Rate limit ${rl.requests}/${rl.windowSeconds}s (+${rl.burst}), one bucket for all clients, 429.`
        : `Rate limit ${rl.requests}/${rl.windowSeconds}s (+${rl.burst}) per downstream connection, 429: Envoy 1.31's local limiter cannot key on the client address (a client with more connections gets more). For a true per-address limit use the global rate limit service (envoyproxy/ratelimit, descriptor remote_address) or the TypeScript gateway.`,
    );
  }
  if (r.websocket) lines.push(`WebSocket upgrade enabled on this route only; the session ends after ${seconds(r.timeoutSeconds)} idle. No body limit (buffer disabled: it would break the upgrade).`);
  else if (r.grpc) lines.push('gRPC only (match.grpc), HTTP/2 to the upstream. No body limit (buffer disabled: it would break streaming): cap message sizes in the gRPC server.');
  else lines.push(`Body limit ${r.bodyLimitMb} MiB via the buffer filter (413; the body is buffered before forwarding). Retried once only when the connection failed (nothing was sent).`);
  if (r.cacheTtlSeconds !== undefined) {
    lines.push(
      p.via === 'gateway'
        ? `cacheTtlSeconds ${r.cacheTtlSeconds}: cached by the TypeScript gateway behind Envoy (the standard Envoy build has no production-ready response cache).`
        : `cacheTtlSeconds ${r.cacheTtlSeconds} NOT applied: the standard Envoy build has no production-ready response cache (envoy.filters.http.cache is work in progress). Cache in the TypeScript gateway, a CDN, or a caching proxy in front.`,
    );
  }
  return lines;
}

/** The routes of every spec route, most specific first (Envoy takes the first match). */
export function apiRoutes(spec: EdgeSpec, notes: Notes, at: YamlPath): Obj[] {
  const out: Obj[] = [];
  for (const p of [...edgePlan(spec).routes].sort(bySpecificity)) {
    notes.add([...at, out.length], ...routeNote(p));
    out.push(envoyRoute(p));
  }
  return out;
}

/** Security headers on every response; HSTS only on the TLS listener. */
export function securityHeaders(spec: EdgeSpec, tls: boolean): Obj[] {
  return [
    header('x-content-type-options', 'nosniff'),
    header('x-frame-options', 'DENY'),
    header('referrer-policy', 'no-referrer'),
    ...(tls && spec.tls.hstsSeconds > 0 ? [header('strict-transport-security', `max-age=${spec.tls.hstsSeconds}`)] : []),
  ];
}

/** The smallest body limit of the spec: the buffer filter's default for routes without their own. */
export function smallestBodyBytes(spec: EdgeSpec): number {
  return Math.min(...spec.routes.map((r) => mbToBytes(r.bodyLimitMb)));
}

export const anyRateLimit = (spec: EdgeSpec): boolean => edgePlan(spec).routes.some((p) => p.action === 'proxy' && p.rateLimit !== undefined);
export const anyWebSocket = (spec: EdgeSpec): boolean => spec.routes.some((r) => r.websocket);
