// EdgeSpec → the Caddyfile view-model. Every decision lives here; templates/caddy/Caddyfile.ejs only
// interpolates and loops (optional parts are lists of zero or one element). Every string put in the
// model is either a constant of this file or a spec value already validated by the EdgeSpec schema.
import type { EdgeSpec, Route, Service } from '../../spec/schema.js';
import { authNote, cacheNote, fileNotes, grpcNote, rateLimitNote, transformNote } from './notes.js';
import { byPrefixLength, upstreamOf, type Upstream } from './routing.js';
import { INTERMEDIATE } from './tls-policy.js';
import { canonicalHeader, duration, mebibytes, size } from './units.js';

/** Values the EdgeSpec does not carry; tests pass faster health checks. */
export interface CaddyTuning {
  healthIntervalSeconds: number;
  healthTimeoutSeconds: number;
  /** Passive health: this many failed requests within passiveFailSeconds mark an instance down for that long. */
  passiveFailSeconds: number;
  passiveMaxFails: number;
  /** Below the upstreams' own keep-alive timeout (the sample services keep 75 s), so Caddy never reuses a connection the upstream is closing. */
  upstreamKeepaliveSeconds: number;
}

export const DEFAULT_TUNING: CaddyTuning = { healthIntervalSeconds: 5, healthTimeoutSeconds: 2, passiveFailSeconds: 10, passiveMaxFails: 3, upstreamKeepaliveSeconds: 60 };

/** Runtime state lives here (relative to the project root, the working directory). */
export const RUN_DIR = '.run/caddy';

/** Identity headers only the gateway may set (security.md A2): stripped from every proxied request. */
const STRIPPED_REQUEST_HEADERS = ['X-User-*', 'X-Auth-*', 'X-Gateway-*', 'X-Original-Url', 'X-Rewrite-Url'];

interface Pool {
  snippet: string;
  comment: string[];
  dials: string;
  lbPolicy: string;
  lbTryDuration: string;
  active: { uri: string; interval: string; timeout: string }[];
  passive: { failDuration: string; maxFails: number };
  /** Zero or one line: the CIDRs whose X-Forwarded-* Caddy believes. */
  trustedProxies: string[];
}

interface RouteVm {
  comment: string[];
  matcher: string;
  paths: string;
  tooLarge: { matcher: string; expression: string }[];
  maxSize: string;
  methods: { matcher: string; list: string; allow: string }[];
  strip: string[];
  pool: string;
  headerUp: { set: [string, string][]; remove: string[] };
  headerDown: { set: [string, string][]; remove: string[] };
  transport: { dial: string; responseHeader: string; read: string; write: string; keepalive: string; versions: string[] };
}

interface Site {
  comment: string[];
  addresses: string;
  tls: boolean[];
  hsts: string[];
  /** The routes, or a redirect to HTTPS; both empty on a catch-all site (unknown Host → connection closed). */
  routes: boolean[];
  redirect: string[];
  abort: boolean[];
}

export interface CaddyVm {
  provenance: string;
  overview: string[];
  bind: string;
  storage: string;
  protocols: string;
  timeouts: { readHeader: string; readBody: string; idle: string };
  maxHeaderSize: string;
  stripRequestHeaders: string[];
  securityHeaders: [string, string][];
  /** Access-log fields removed: the API-key header, and query parameters that carry credentials. */
  logRedactHeaders: string[];
  logRedactQuery: string[];
  /** Zero or one: the certificate and Mozilla intermediate policy, imported by the HTTPS sites. */
  tls: { cert: string; key: string; protocols: string; ciphers: string; curves: string }[];
  pools: Pool[];
  routes: RouteVm[];
  sites: Site[];
}

const instances = (n: number): string => (n === 1 ? '1 instance' : `${n} instances`);

const trusted = (spec: EdgeSpec): string[] => (spec.trustedProxies.length > 0 ? [spec.trustedProxies.join(' ')] : []);

const ROUTE_HOSTS = (spec: EdgeSpec): string[] => [...new Set([spec.listen.serverName, 'localhost', '127.0.0.1'])];

function servicePool(spec: EdgeSpec, svc: Service, grpc: boolean, t: CaddyTuning): Pool {
  const dials = Array.from({ length: svc.instances }, (_, i) => `127.0.0.1:${svc.port + i}`);
  return {
    snippet: `pool_service_${svc.name}`,
    comment: [
      `Service ${svc.name}: ${instances(svc.instances)}, ${svc.sticky ? 'sticky by cookie (lb_policy cookie: first pick random, then the cookie keeps the client on it)' : 'round robin'}. Health: ACTIVE (GET ${svc.health} every ${duration(t.healthIntervalSeconds)}, 2xx within ${duration(t.healthTimeoutSeconds)})`,
      `and PASSIVE (${t.passiveMaxFails} failed connections within ${duration(t.passiveFailSeconds)} take an instance out for that long).`,
      ...(grpc ? [`A gRPC upstream answers any path with HTTP 200 (status in trailers): the active check only proves it is listening.`] : []),
    ],
    dials: dials.join(' '),
    lbPolicy: svc.sticky ? 'cookie' : 'round_robin',
    lbTryDuration: duration(spec.limits.connectTimeoutSeconds),
    active: [{ uri: svc.health, interval: duration(t.healthIntervalSeconds), timeout: duration(t.healthTimeoutSeconds) }],
    passive: { failDuration: duration(t.passiveFailSeconds), maxFails: t.passiveMaxFails },
    trustedProxies: trusted(spec),
  };
}

function gatewayPool(spec: EdgeSpec, t: CaddyTuning): Pool {
  const dials = Array.from({ length: spec.gateway.replicas }, (_, i) => `127.0.0.1:${spec.gateway.port + i}`);
  return {
    snippet: 'pool_gateway',
    comment: [
      `The TypeScript gateway: ${spec.gateway.replicas === 1 ? '1 replica' : `${spec.gateway.replicas} replicas`}, round robin. It gets the original path and does routing, method checks,`,
      `prefix stripping, auth, per-client limits, quotas and the cache, and balances across the service instances itself.`,
      `Health: PASSIVE only (${t.passiveMaxFails} failed connections within ${duration(t.passiveFailSeconds)}): the gateway's /healthz is on its`,
      `loopback admin listener, not on the port Caddy proxies to, and edge.yaml does not record that port.`,
    ],
    dials: dials.join(' '),
    lbPolicy: 'round_robin',
    lbTryDuration: duration(spec.limits.connectTimeoutSeconds),
    active: [],
    passive: { failDuration: duration(t.passiveFailSeconds), maxFails: t.passiveMaxFails },
    trustedProxies: trusted(spec),
  };
}

const poolName = (up: Upstream): string => (up.kind === 'gateway' ? 'pool_gateway' : `pool_service_${up.service}`);

function routeVm(spec: EdgeSpec, route: Route, t: CaddyTuning): RouteVm {
  const up = upstreamOf(spec, route);
  const svc = spec.services.find((s) => s.name === route.service)!;
  const direct = up.kind === 'service';
  const grpc = route.grpc || svc.protocol === 'grpc';
  const bytes = mebibytes(route.bodyLimitMb);
  const id = `route_${route.name}`;
  const target = direct ? `service ${svc.name} (${instances(svc.instances)})` : 'the TypeScript gateway, path unchanged';
  const transforms = direct ? route.headers : undefined;
  return {
    comment: [
      `Route ${route.name}: ${route.path} and below → ${target}${direct && route.stripPrefix && route.path !== '/' ? `, prefix ${route.path} stripped` : ''}.`,
      ...authNote(route),
      ...rateLimitNote(route, up),
      ...cacheNote(route, up),
      ...transformNote(route, up),
      ...(route.websocket ? [`WebSocket: reverse_proxy passes the Upgrade through; the tunnel closes after ${duration(route.timeoutSeconds)} without upstream data.`] : []),
      ...grpcNote(grpc, up),
      `Body limit ${size(bytes)}; upstream: ${duration(route.timeoutSeconds)} to the response headers and between reads.`,
    ],
    matcher: id,
    paths: route.path === '/' ? '/*' : `${route.path} ${route.path}/*`,
    tooLarge: [{ matcher: `${id}_too_large`, expression: `{http.request.header.Content-Length} != "" && int({http.request.header.Content-Length}) > ${bytes}` }],
    maxSize: size(bytes),
    methods: direct && route.methods ? [{ matcher: `${id}_method_not_allowed`, list: route.methods.join(' '), allow: route.methods.join(', ') }] : [],
    strip: direct && route.stripPrefix && route.path !== '/' ? [route.path] : [],
    pool: poolName(up),
    headerUp: { set: Object.entries(transforms?.request?.set ?? {}).sort(), remove: [...(transforms?.request?.remove ?? [])].sort() },
    headerDown: { set: Object.entries(transforms?.response?.set ?? {}).sort(), remove: [...(transforms?.response?.remove ?? [])].sort() },
    transport: {
      dial: duration(spec.limits.connectTimeoutSeconds),
      responseHeader: duration(route.timeoutSeconds),
      read: duration(route.timeoutSeconds),
      write: duration(route.timeoutSeconds),
      keepalive: duration(t.upstreamKeepaliveSeconds),
      versions: grpc ? ['h2c 2'] : [],
    },
  };
}

function sites(spec: EdgeSpec): Site[] {
  const hosts = ROUTE_HOSTS(spec);
  const { httpPort, httpsPort, serverName } = spec.listen;
  const tlsOn = spec.tls.local === 'self-signed';
  const tls = tlsOn ? [true] : [];
  const redirect = tlsOn && spec.tls.redirectHttp ? [`https://${serverName}${httpsPort === 443 ? '' : `:${httpsPort}`}{uri}`] : [];
  const out: Site[] = [];
  if (tlsOn) {
    out.push({
      comment: [
        `HTTPS on ${spec.listen.host}:${httpsPort}: Mozilla intermediate TLS (1.2 + 1.3, ECDHE AEAD suites only, no DHE); certificate ${spec.tls.certFile}.`,
        ...(spec.tls.hstsSeconds > 0 ? ['HSTS is sent here only, never on plain HTTP.'] : ['HSTS is off (tls.hstsSeconds: 0).']),
      ],
      addresses: hosts.map((h) => `https://${h}:${httpsPort}`).join(', '),
      tls,
      hsts: spec.tls.hstsSeconds > 0 ? [`max-age=${spec.tls.hstsSeconds}`] : [],
      routes: [true],
      redirect: [],
      abort: [],
    });
    out.push({ comment: ['Any other host name on the HTTPS port: close the connection (no fall-through to the routes).'], addresses: `https://:${httpsPort}`, tls, hsts: [], routes: [], redirect: [], abort: [true] });
  }
  out.push({
    comment: redirect.length > 0 ? [`Plain HTTP on ${spec.listen.host}:${httpPort}: permanent redirect to the fixed HTTPS origin (never to the client's Host).`] : [`Plain HTTP on ${spec.listen.host}:${httpPort}${tlsOn ? ' (tls.redirectHttp is off: local development)' : ' (tls.local: off)'}.`],
    addresses: hosts.map((h) => `http://${h}:${httpPort}`).join(', '),
    tls: [],
    hsts: [],
    routes: redirect.length > 0 ? [] : [true],
    redirect,
    abort: [],
  });
  out.push({ comment: ['Any other host name on the HTTP port: close the connection.'], addresses: `http://:${httpPort}`, tls: [], hsts: [], routes: [], redirect: [], abort: [true] });
  return out;
}

export function caddyViewModel(spec: EdgeSpec, provenance: string, tuning: CaddyTuning = DEFAULT_TUNING): CaddyVm {
  const routes = [...spec.routes].sort(byPrefixLength);
  const ups = routes.map((r) => upstreamOf(spec, r));
  const pools: Pool[] = [];
  if (ups.some((u) => u.kind === 'gateway')) pools.push(gatewayPool(spec, tuning));
  for (const svc of spec.services) {
    const used = routes.filter((r, i) => ups[i]!.kind === 'service' && r.service === svc.name);
    if (used.length > 0) pools.push(servicePool(spec, svc, svc.protocol === 'grpc' || used.some((r) => r.grpc), tuning));
  }
  const grpc = routes.some((r) => r.grpc) || spec.services.some((s) => s.protocol === 'grpc');
  const apiKeyHeader = spec.auth.apiKeys?.header;
  return {
    provenance,
    overview: fileNotes(spec, routes, ups),
    bind: spec.listen.host,
    storage: `${RUN_DIR}/storage`,
    protocols: grpc ? 'h1 h2 h2c' : 'h1 h2',
    timeouts: { readHeader: duration(spec.limits.clientHeaderTimeoutSeconds), readBody: duration(spec.limits.clientBodyTimeoutSeconds), idle: duration(spec.limits.idleTimeoutSeconds) },
    maxHeaderSize: `${spec.limits.headerKb}KiB`,
    stripRequestHeaders: STRIPPED_REQUEST_HEADERS,
    securityHeaders: [
      ['X-Content-Type-Options', 'nosniff'],
      ['X-Frame-Options', 'DENY'],
      ['Referrer-Policy', 'no-referrer'],
    ],
    logRedactHeaders: apiKeyHeader ? [`request>headers>${canonicalHeader(apiKeyHeader)}`] : [],
    // RFC 6750 §2.3: a bearer token may travel in the query string.
    logRedactQuery: ['access_token'],
    tls:
      spec.tls.local === 'self-signed'
        ? [{ cert: spec.tls.certFile, key: spec.tls.keyFile, protocols: INTERMEDIATE.protocols.join(' '), ciphers: INTERMEDIATE.ciphers.join(' '), curves: INTERMEDIATE.curves.join(' ') }]
        : [],
    pools,
    routes: routes.map((r) => routeVm(spec, r, tuning)),
    sites: sites(spec),
  };
}
