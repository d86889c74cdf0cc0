// EdgeSpec → the nginx view-model: every value the templates print, computed once. Templates only
// interpolate and loop (an optional block is a list of zero or one element).
import { posix } from 'node:path';
import type { EdgeSpec } from '../../spec/schema.js';
import { CACHE_ZONE, gatewayUpstream, hasGateway, routeVm, upstreamName, viaGateway, type HeaderVm, type RateZoneVm, type RouteVm } from './routes.js';
import { MOZILLA_INTERMEDIATE } from './tls.js';
import { duration, plural, wrap } from './units.js';

export const CONF_DIR = 'proxy/nginx';
export const CONF_FILE = `${CONF_DIR}/nginx.conf`;
/** Runtime state (pid, temp files, cache, logs), relative to the prefix (-p, the project root). */
export const RUN_DIR = '.run/nginx';

/** Per client address: generous for browsers and WebSockets, small enough to stop a connection flood. */
const CONNECTIONS_PER_IP = 100;
/** Passive health: one failed attempt takes an instance out for FAIL_TIMEOUT (nginx's defaults, made explicit). */
const MAX_FAILS = 1;
const FAIL_TIMEOUT = '10s';
/** Idle keep-alive connections per worker to each pool; below the sample services' 75 s keep-alive. */
const UPSTREAM_KEEPALIVE = 16;
const UPSTREAM_KEEPALIVE_TIMEOUT = '60s';

export interface MapVm {
  /** Comment lines, `#` included. */
  comment: string[];
  source: string;
  target: string;
  entries: { key: string; value: string }[];
}

export interface UpstreamVm {
  name: string;
  comment: string;
  /** Zero or one balancing directive (round robin needs none). */
  balance: { directive: string; comment: string }[];
  servers: string[];
}

/** Affinity by client address: open-source nginx has `sticky` (cookies) only from 1.29.6. */
const STICKY = { directive: 'hash $remote_addr consistent;', comment: 'sticky: by client address (cookie affinity needs nginx 1.29.6+)' };

export interface ServerVm {
  comment: string;
  listen: string;
  names: string;
}

export interface NginxVm {
  provenance: string;
  /** Comment lines, `#` included. */
  notes: string[];
  runDir: string;
  client: { headerTimeout: string; bodyTimeout: string; sendTimeout: string; keepaliveTimeout: string; headerBuffers: string; connectionsPerIp: number };
  connectTimeout: string;
  realIp: { cidrs: string[] }[];
  geos: MapVm[];
  maps: MapVm[];
  tls: { protocols: string; ciphers: string; curves: string; sessionTimeout: string; sessionCache: string; sessionTickets: string; preferServerCiphers: string; guideline: string }[];
  rateZones: RateZoneVm[];
  cacheZones: { path: string; zone: string; inactive: string }[];
  upstreams: UpstreamVm[];
  upstream: { maxFails: number; failTimeout: string; keepalive: number; keepaliveTimeout: string };
  defaultHttp: { listen: string };
  defaultTls: { listen: string }[];
  routeServers: (ServerVm & { tls: { cert: string; key: string }[] })[];
  redirectServers: (ServerVm & { target: string })[];
  routes: RouteVm[];
  catchAll: { location: string }[];
  securityHeaders: HeaderVm[];
  proxyHeaders: HeaderVm[];
  hideHeaders: string[];
  errors: { code: number; error: string }[];
}

const ERRORS: [number, string][] = [
  [400, 'bad_request'],
  [403, 'forbidden'],
  [404, 'not_found'],
  [405, 'method_not_allowed'],
  [408, 'request_timeout'],
  [413, 'payload_too_large'],
  [414, 'uri_too_long'],
  [429, 'too_many_requests'],
  [500, 'internal_error'],
  [502, 'bad_gateway'],
  [503, 'unavailable'],
  [504, 'gateway_timeout'],
];

const note = (text: string): string[] => wrap(text, 92).map((l) => `# ${l}`);

function forwardedFor(spec: EdgeSpec): { value: string; geos: MapVm[]; maps: MapVm[] } {
  if (spec.trustedProxies.length === 0) return { value: '$remote_addr', geos: [], maps: [] };
  return {
    value: '$edge_forwarded_for',
    geos: [
      {
        comment: note('Is the peer (the socket address, before realip) one of spec.trustedProxies?'),
        source: '$realip_remote_addr',
        target: '$edge_from_trusted_proxy',
        entries: [{ key: 'default', value: '0' }, ...spec.trustedProxies.map((c) => ({ key: c, value: '1' }))],
      },
    ],
    maps: [
      {
        comment: note('The chain a trusted proxy sent, if any, followed by a comma.'),
        source: '$http_x_forwarded_for',
        target: '$edge_xff_prefix',
        entries: [
          { key: '""', value: '""' },
          { key: 'default', value: '"$http_x_forwarded_for, "' },
        ],
      },
      {
        comment: note('X-Forwarded-For to upstreams: from a trusted proxy, its chain plus that proxy; from anyone else, only the socket address.'),
        source: '$edge_from_trusted_proxy',
        target: '$edge_forwarded_for',
        entries: [
          { key: '1', value: '"$edge_xff_prefix$realip_remote_addr"' },
          { key: 'default', value: '$remote_addr' },
        ],
      },
    ],
  };
}

function notesOf(spec: EdgeSpec, tlsOn: boolean): string[] {
  const notes = [
    `Health checks: passive only. Open-source nginx has no active checks (\`health_check\` is NGINX Plus): an instance that fails ${plural(MAX_FAILS, 'attempt')} (connection error or timeout) is skipped for ${FAIL_TIMEOUT}, and the request is retried once on another instance (never a POST/PATCH already sent). Health endpoints are not polled, and a pool of one server never marks it down.`,
    spec.services.some((s) => s.sticky && s.instances > 1)
      ? 'Load balancing: round robin, except for sticky services: `hash $remote_addr consistent` keeps a client address on one instance. `sticky` (cookie affinity) exists in open-source nginx only from 1.29.6 and this config targets 1.22, so clients behind one NAT address share an instance.'
      : 'Load balancing: round robin. `sticky` (cookie affinity) exists in open-source nginx only from 1.29.6 and this config targets 1.22; services with `sticky: true` get `hash $remote_addr consistent` instead.',
  ];
  if (spec.routes.some((r) => viaGateway(spec, r))) {
    notes.push("Routes through the TypeScript gateway: authentication, per-client limits, quotas and their caching are the gateway's job; nginx never authenticates. The gateway believes X-Forwarded-For only from its trusted proxies, so it must trust this nginx's address.");
  }
  if (spec.routes.some((r) => r.grpc)) notes.push('gRPC: HTTP/2 is served only on the TLS listener; nginx 1.22 cannot offer HTTP/1.1 and cleartext HTTP/2 on one port.');
  if (spec.tls.mode === 'passthrough') {
    notes.push('tls.mode is passthrough, but this config terminates TLS so the local starter runs. True passthrough needs the stream module with ssl_preread (TCP only: no routing by path, limits, cache or headers).');
  }
  if (spec.tls.redirectHttp && !tlsOn) notes.push('tls.redirectHttp is ignored: tls.local is off, so there is no HTTPS listener to redirect to.');
  const unused = spec.services.filter((s) => !spec.routes.some((r) => r.service === s.name && !viaGateway(spec, r)));
  if (unused.length > 0 && !hasGateway(spec)) notes.push(`No pool for ${unused.map((s) => s.name).join(', ')}: no route sends traffic there directly.`);
  return notes.flatMap((n) => ['#', ...wrap(n).map((l) => `# ${l}`)]).slice(1);
}

export function nginxViewModel(spec: EdgeSpec, provenanceText: string): NginxVm {
  const tlsOn = spec.tls.local === 'self-signed';
  const l = spec.limits;
  const xff = forwardedFor(spec);
  const routes = spec.routes.map((r) => routeVm(spec, r, tlsOn));

  const maps: MapVm[] = [];
  if (spec.routes.some((r) => r.websocket)) {
    maps.push({
      comment: note('WebSocket: pass the upgrade on; without one send no Connection header, so upstream keep-alive still works.'),
      source: '$http_upgrade',
      target: '$connection_upgrade',
      entries: [
        { key: 'default', value: 'upgrade' },
        { key: '""', value: '""' },
      ],
    });
  }
  if (tlsOn && spec.tls.hstsSeconds > 0) {
    maps.push({
      comment: note('HSTS only on the TLS listener (RFC 6797 §7.2): an empty value sends no header.'),
      source: '$https',
      target: '$edge_hsts',
      entries: [
        { key: 'on', value: `"max-age=${spec.tls.hstsSeconds}"` },
        { key: 'default', value: '""' },
      ],
    });
  }
  maps.push(...xff.maps);

  const upstreams: UpstreamVm[] = [];
  for (const grpc of [false, true]) {
    for (const svc of spec.services) {
      if (!spec.routes.some((r) => r.service === svc.name && r.grpc === grpc && !viaGateway(spec, r))) continue;
      upstreams.push({
        name: upstreamName(svc.name, grpc),
        comment: `service ${svc.name}${grpc ? ' for gRPC (HTTP/2)' : ''}, ${plural(svc.instances, 'instance')} from port ${svc.port} (health endpoint ${svc.health}, not polled)`,
        balance: svc.sticky && svc.instances > 1 ? [STICKY] : [],
        servers: Array.from({ length: svc.instances }, (_, i) => `127.0.0.1:${svc.port + i}`),
      });
    }
  }
  for (const grpc of [false, true]) {
    if (!spec.routes.some((r) => r.grpc === grpc && viaGateway(spec, r))) continue;
    upstreams.push({
      name: gatewayUpstream(grpc),
      comment: `the TypeScript gateway${grpc ? ' for gRPC (HTTP/2)' : ''}, ${plural(spec.gateway.replicas, 'replica')} from port ${spec.gateway.port}`,
      balance: [],
      servers: Array.from({ length: spec.gateway.replicas }, (_, i) => `127.0.0.1:${spec.gateway.port + i}`),
    });
  }

  const cacheTtls = routes.flatMap((r) => (r.vm.cache.length > 0 ? [spec.routes.find((x) => x.name === r.vm.name)?.cacheTtlSeconds ?? 0] : []));
  const names = [...new Set([spec.listen.serverName, ...(spec.listen.host === '127.0.0.1' ? ['localhost', '127.0.0.1'] : [])])].join(' ');
  const httpListen = `${spec.listen.host}:${spec.listen.httpPort}`;
  const httpsListen = `${spec.listen.host}:${spec.listen.httpsPort}`;
  const redirect = tlsOn && spec.tls.redirectHttp;
  const fromConf = (p: string): string => posix.relative(CONF_DIR, p);

  const securityHeaders: HeaderVm[] = [
    ...(tlsOn && spec.tls.hstsSeconds > 0 ? [{ name: 'Strict-Transport-Security', value: '$edge_hsts' }] : []),
    { name: 'X-Content-Type-Options', value: 'nosniff' },
    { name: 'X-Frame-Options', value: 'DENY' },
    { name: 'Referrer-Policy', value: 'no-referrer' },
    { name: 'Content-Security-Policy', value: `"frame-ancestors 'none'"` },
  ];
  const claimHeaders = (spec.auth.jwt?.forwardClaims ?? []).filter((c) => !c.includes('_')).map((c) => `X-User-${c[0]!.toUpperCase()}${c.slice(1)}`);

  return {
    provenance: provenanceText,
    notes: notesOf(spec, tlsOn),
    runDir: RUN_DIR,
    client: {
      headerTimeout: duration(l.clientHeaderTimeoutSeconds),
      bodyTimeout: duration(l.clientBodyTimeoutSeconds),
      sendTimeout: duration(l.clientBodyTimeoutSeconds),
      keepaliveTimeout: duration(l.idleTimeoutSeconds),
      headerBuffers: `4 ${l.headerKb}k`,
      connectionsPerIp: CONNECTIONS_PER_IP,
    },
    connectTimeout: duration(l.connectTimeoutSeconds),
    realIp: spec.trustedProxies.length > 0 ? [{ cidrs: spec.trustedProxies }] : [],
    geos: xff.geos,
    maps,
    tls: tlsOn
      ? [
          {
            guideline: MOZILLA_INTERMEDIATE.guideline,
            protocols: MOZILLA_INTERMEDIATE.protocols.join(' '),
            ciphers: MOZILLA_INTERMEDIATE.ciphers.join(':'),
            curves: MOZILLA_INTERMEDIATE.curves.join(':'),
            sessionTimeout: MOZILLA_INTERMEDIATE.sessionTimeout,
            sessionCache: MOZILLA_INTERMEDIATE.sessionCache,
            sessionTickets: MOZILLA_INTERMEDIATE.sessionTickets,
            preferServerCiphers: MOZILLA_INTERMEDIATE.preferServerCiphers,
          },
        ]
      : [],
    rateZones: routes.flatMap((r) => (r.zone ? [r.zone] : [])),
    cacheZones: cacheTtls.length > 0 ? [{ path: `${RUN_DIR}/cache`, zone: CACHE_ZONE, inactive: duration(Math.max(600, ...cacheTtls)) }] : [],
    upstreams,
    upstream: { maxFails: MAX_FAILS, failTimeout: FAIL_TIMEOUT, keepalive: UPSTREAM_KEEPALIVE, keepaliveTimeout: UPSTREAM_KEEPALIVE_TIMEOUT },
    defaultHttp: { listen: httpListen },
    defaultTls: tlsOn ? [{ listen: httpsListen }] : [],
    routeServers: [
      ...(redirect ? [] : [{ comment: 'plain HTTP', listen: httpListen, names, tls: [] }]),
      ...(tlsOn ? [{ comment: `TLS (Mozilla intermediate ${MOZILLA_INTERMEDIATE.guideline}) and HTTP/2`, listen: `${httpsListen} ssl http2`, names, tls: [{ cert: fromConf(spec.tls.certFile), key: fromConf(spec.tls.keyFile) }] }] : []),
    ],
    redirectServers: redirect
      ? [{ comment: 'plain HTTP: redirect to HTTPS (to the configured name, never the client\'s Host)', listen: httpListen, names, target: `https://$server_name${spec.listen.httpsPort === 443 ? '' : `:${spec.listen.httpsPort}`}$request_uri` }]
      : [],
    routes: routes.map((r) => r.vm),
    catchAll: spec.routes.some((r) => r.path === '/') ? [] : [{ location: '/' }],
    securityHeaders,
    proxyHeaders: [
      { name: 'Host', value: '$host' },
      { name: 'X-Forwarded-For', value: xff.value },
      { name: 'X-Real-IP', value: '$remote_addr' },
      { name: 'X-Forwarded-Proto', value: '$scheme' },
      { name: 'X-Forwarded-Host', value: '$host' },
      ...['Forwarded', 'X-Original-URL', 'X-Rewrite-URL', 'X-HTTP-Method-Override', ...new Set(['X-User-Id', ...claimHeaders])].map((name) => ({ name, value: '""' })),
    ],
    // The upstream's copies of the headers set here would arrive twice; a service's own CSP stays
    // (browsers enforce every CSP header, so ours only adds frame-ancestors).
    hideHeaders: ['X-Powered-By', 'Strict-Transport-Security', 'X-Content-Type-Options', 'X-Frame-Options', 'Referrer-Policy'],
    errors: ERRORS.map(([code, error]) => ({ code, error })),
  };
}
