// One backend per route: its limits, rewrites, cache and the instances it balances across.
import type { EdgeSpec, Route } from '../../spec/schema.js';
import { type Block, BlockBuilder } from './block.js';
import { cacheComments, cacheRequestLines, cacheResponseLines, cachedHere } from './cache.js';
import { routeBackend } from './names.js';
import { rateLimitLines, rateLimitOf } from './rate-limit.js';
import { mebibytesToBytes, seconds } from './units.js';
import { type Upstream, upstreamOf } from './upstreams.js';

/** The cookie that carries instance affinity (the name HAProxy's documentation uses). */
const AFFINITY_COOKIE = 'SERVERID';

/** Cookie affinity applies to routes that go straight to a sticky service with more than one instance. */
function stickyOf(spec: EdgeSpec, route: Route, u: Upstream): boolean {
  return u.kind === 'service' && u.servers.length > 1 && spec.services.find((s) => s.name === route.service)?.sticky === true;
}

/** Origins HAProxy can compare literally; anything else is left out (and said so). */
const PLAIN_ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

function summary(route: Route, u: Upstream): string {
  const where = route.path === '/' ? 'every path' : `${route.path} and below`;
  const kind = route.websocket ? 'WebSocket route' : route.grpc ? 'gRPC route' : 'Route';
  const count = `${u.servers.length} ${u.kind === 'gateway' ? 'replica' : 'instance'}${u.servers.length > 1 ? 's' : ''}`;
  const strip = u.kind === 'service' && route.stripPrefix && route.path !== '/' ? '; the prefix is stripped' : '';
  return `${kind} ${route.name}: ${where} -> ${u.reason}, ${count}${strip}.`;
}

function limitLines(b: BlockBuilder, route: Route): void {
  if (route.methods) {
    const list = route.methods.join(' ');
    b.line(`http-request deny deny_status 405 hdr Allow "${route.methods.join(', ')}" unless { method ${list} }`);
  }
  const bytes = mebibytesToBytes(route.bodyLimitMb);
  b.comment(`Bodies declared larger than bodyLimitMb (${route.bodyLimitMb} MB) -> 413 (chunked bodies: see the top of the file).`);
  b.line(`http-request deny deny_status 413 if { req.hdr_val(content-length) gt ${bytes} }`);
}

function upgradeLines(spec: EdgeSpec, b: BlockBuilder, route: Route, u: Upstream): void {
  if (!route.websocket) {
    b.comment('Only WebSocket routes may switch protocols.');
    b.line('http-request deny deny_status 403 if { req.hdr(upgrade) -m found }');
    return;
  }
  if (u.kind === 'gateway') {
    b.comment('The gateway checks the WebSocket Origin (gateway.allowedOrigins).');
    return;
  }
  const origins = spec.gateway.allowedOrigins.filter((o) => PLAIN_ORIGIN.test(o));
  const skipped = spec.gateway.allowedOrigins.filter((o) => !PLAIN_ORIGIN.test(o));
  if (skipped.length > 0) b.comment(`NOT EXPRESSED: ${skipped.length} allowed origin(s) that are not plain scheme://host[:port] were left out.`);
  if (origins.length === 0) {
    b.comment('gateway.allowedOrigins is empty: a WebSocket may be opened from any Origin.');
    return;
  }
  b.comment('Browsers send Origin: only the allowed ones may open a WebSocket (RFC 6455 §10.2); clients without one may.');
  b.line(`http-request deny deny_status 403 if { req.hdr(upgrade) -i websocket } { req.hdr(origin) -m found } !{ req.hdr(origin) -m str ${origins.join(' ')} }`);
}

function stripLines(route: Route): string[] {
  if (!route.stripPrefix || route.path === '/') return [];
  return [`http-request set-path %[path,bytes(${route.path.length})] if { path_beg ${route.path}/ }`, `http-request set-path / if { path ${route.path} }`];
}

function headerLines(route: Route): { request: string[]; response: string[] } {
  const h = route.headers;
  const set = (dir: 'request' | 'response', name: string, value: string): string => `http-${dir} set-header ${name} "${value}"`;
  return {
    request: [...Object.entries(h?.request?.set ?? {}).map(([k, v]) => set('request', k, v)), ...(h?.request?.remove ?? []).map((k) => `http-request del-header ${k}`)],
    response: [...Object.entries(h?.response?.set ?? {}).map(([k, v]) => set('response', k, v)), ...(h?.response?.remove ?? []).map((k) => `http-response del-header ${k}`)],
  };
}

export function routeBlock(spec: EdgeSpec, route: Route): Block {
  const u = upstreamOf(spec, route);
  const direct = u.kind === 'service';
  const b = new BlockBuilder(`backend ${routeBackend(route.name)}`, [summary(route, u)]);

  if (route.websocket) {
    b.comment('Least connections: WebSockets are long-lived, so round robin would pile them up unevenly.');
    b.line('balance leastconn', `timeout server ${seconds(route.timeoutSeconds)}`, `timeout tunnel ${seconds(route.timeoutSeconds)}  # idle WebSocket after the 101`);
  } else {
    b.line('balance roundrobin', `timeout server ${seconds(route.timeoutSeconds)}`);
  }
  const sticky = stickyOf(spec, route, u);
  if (sticky) {
    b.comment(
      `Sticky sessions (services.sticky): the ${AFFINITY_COOKIE} cookie pins a client to an instance while it is up. HAProxy`,
      'removes it before forwarding (indirect) and marks responses that set it private (nocache).',
    );
    if (!spec.tls.redirectHttp) b.comment('Add `secure` once clients only use HTTPS (tls.redirectHttp).');
    b.line(`cookie ${AFFINITY_COOKIE} insert indirect nocache httponly${spec.tls.redirectHttp ? ' secure' : ''}`);
  } else if (u.kind === 'gateway' && spec.services.find((s) => s.name === route.service)?.sticky) {
    b.comment(`Sticky sessions for service ${route.service} are the gateway's: it picks the instance. HAProxy only balances the gateway replicas.`);
  }
  b.blank();

  const rl = rateLimitOf(spec, route);
  b.comment(...rl.comments);
  if (rl.plan) {
    b.comment(`Rate limit: ${rl.plan.describe}; more than ${rl.plan.allowed} in any ${rl.plan.windowSeconds}s window -> 429.`);
    b.line(...rateLimitLines(rl.plan));
  }
  limitLines(b, route);
  upgradeLines(spec, b, route, u);

  const cached = cachedHere(spec, route);
  b.comment(...cacheComments(spec, route, sticky ? AFFINITY_COOKIE : undefined));
  if (cached) b.line(...cacheRequestLines(route, sticky ? AFFINITY_COOKIE : undefined));

  if (direct) {
    b.line(...stripLines(route));
    const hdr = headerLines(route);
    if (hdr.request.length + hdr.response.length > 0) b.comment('Header transforms from edge.yaml.');
    b.line(...hdr.request, ...hdr.response);
  } else {
    b.comment('The gateway matches the full path and applies prefix stripping and header transforms itself.');
  }
  if (cached) b.line(...cacheResponseLines(route));
  b.blank();

  if (route.grpc) {
    b.comment('gRPC: HTTP/2 to the upstream (proto h2, cleartext).');
    if (u.kind === 'gateway') b.comment('The gateway must accept h2c on its port for this route to work.');
    else if (spec.services.find((s) => s.name === route.service)?.protocol === 'http') {
      b.comment(`Service ${route.service} is declared protocol: http; gRPC calls fail until a gRPC (HTTP/2) server listens there.`);
    }
  }
  const proto = route.grpc ? ' proto h2' : '';
  for (const s of u.servers) b.line(`server ${s.name} 127.0.0.1:${s.port} track ${u.pool}/${s.name}${proto}${sticky ? ` cookie ${s.name}` : ''}`);
  return b.build();
}
