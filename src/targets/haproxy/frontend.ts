// The public frontend: listeners, request hygiene, forwarded headers, security headers, routing.
import type { EdgeSpec, Route } from '../../spec/schema.js';
import { type Block, BlockBuilder } from './block.js';
import { tlsEnabled } from './global.js';
import { CLIENT_IP_VAR, FRONTEND, NO_ROUTE, TRUSTED_ACL, routeAcl, routeBackend } from './names.js';
import { ipRateLimited } from './rate-limit.js';
import { combinedPemPath } from './tls.js';

/** Client-supplied headers that claim something about the connection; only trusted proxies may send them. */
const FORWARDED_HEADERS = ['X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Host', 'X-Real-IP', 'Forwarded'];

/** Dot segments, empty segments, encoded "." "/" "\" and a raw backslash: paths a backend might normalise differently from the route match. */
const AMBIGUOUS_PATH = String.raw`(^|/)\.\.?(/|$)|//|%2[eEfF]|%5[cC]|\\`;

/** Longest prefix first, so /api/users/admin wins over /api/users (then by name, for a stable file). */
export function routingOrder(routes: readonly Route[]): Route[] {
  return [...routes].sort((a, b) => b.path.length - a.path.length || a.name.localeCompare(b.name));
}

function routeMatch(route: Route): string[] {
  const acl = routeAcl(route.name);
  if (route.path === '/') return [`acl ${acl} path_beg /`];
  return [`acl ${acl} path ${route.path}`, `acl ${acl} path_beg ${route.path}/`];
}

export function frontendBlock(spec: EdgeSpec): Block {
  const { host, httpPort, httpsPort, serverName } = spec.listen;
  const tls = tlsEnabled(spec);
  const trusted = spec.trustedProxies;
  const b = new BlockBuilder(`frontend ${FRONTEND}`);

  b.comment(`Plain HTTP on ${httpPort}${tls ? `, HTTPS on ${httpsPort} (HTTP/2 via ALPN)` : ''}. HTTP/2 without TLS (h2c, prior knowledge) is accepted too: gRPC clients use it.`);
  b.line(`bind ${host}:${httpPort}`);
  if (tls) {
    b.comment(`${combinedPemPath(spec.tls.certFile)}: ${spec.tls.certFile} and ${spec.tls.keyFile} in one file (\`npm run dev\` makes it).`);
    b.line(`bind ${host}:${httpsPort} ssl crt ${combinedPemPath(spec.tls.certFile)} alpn h2,http/1.1`);
  }
  if (spec.tls.mode === 'passthrough') {
    b.comment(
      'NOT EXPRESSED: tls.mode passthrough. Passing TLS through needs `mode tcp` with routing on req.ssl_sni, which',
      'loses every HTTP feature below (paths, limits, caching, headers). The local sample services speak plain',
      'HTTP, so this file terminates TLS; see docs for a passthrough frontend.',
    );
  }
  if (spec.tls.redirectHttp) {
    if (tls) {
      const port = httpsPort === 443 ? '' : `:${httpsPort}`;
      b.comment('Plain HTTP is redirected to HTTPS, to the configured host name (never the client-supplied Host).');
      b.line(`http-request redirect location https://${serverName}${port}%[pathq] code 301 unless { ssl_fc }`);
    } else {
      b.comment('NOT EXPRESSED: tls.redirectHttp needs an HTTPS listener, and tls.local is off.');
    }
  }
  b.blank();

  b.comment('Paths a backend could normalise differently from the route match (dot segments, "//", encoded', 'dots, slashes or backslashes) are refused: 400.');
  b.line(`http-request deny deny_status 400 if { path -m reg '${AMBIGUOUS_PATH}' }`);
  b.comment('HAProxy does not do h2c upgrades; drop the offer instead of passing it on.');
  b.line('http-request del-header Upgrade if { req.hdr(upgrade) -i h2c }', 'http-request del-header HTTP2-Settings');
  b.blank();

  if (trusted.length > 0) {
    b.comment(`X-Forwarded-For and friends are believed only from trustedProxies; from anyone else they are removed.`);
    b.line(`acl ${TRUSTED_ACL} src ${trusted.join(' ')}`);
    for (const h of FORWARDED_HEADERS) b.line(`http-request del-header ${h} unless ${TRUSTED_ACL}`);
  } else {
    b.comment('Nobody is trusted to say who the client is (trustedProxies is empty): forwarded headers are removed.');
    for (const h of FORWARDED_HEADERS) b.line(`http-request del-header ${h}`);
  }
  b.comment('Then X-Forwarded-For gets the socket address appended; upstreams must read its LAST value.');
  b.line('option forwardfor');
  // A trusted proxy's X-Forwarded-Proto is kept (it may have terminated TLS); everyone else's was removed above.
  const unset = trusted.length > 0 ? ' !{ req.hdr(x-forwarded-proto) -m found }' : '';
  if (tls) {
    b.line(`http-request set-header X-Forwarded-Proto https if { ssl_fc }${unset}`);
    b.line(`http-request set-header X-Forwarded-Proto http if !{ ssl_fc }${unset}`);
  } else {
    b.line(`http-request set-header X-Forwarded-Proto http${unset ? ` if${unset}` : ''}`);
  }
  if (ipRateLimited(spec)) {
    b.comment(
      trusted.length > 0
        ? 'The client address for per-address rate limits: the socket address, or the last X-Forwarded-For entry when a trusted proxy sent it.'
        : 'The client address for per-address rate limits: the socket address (never a header).',
    );
    b.line(`http-request set-var(${CLIENT_IP_VAR}) src`);
    if (trusted.length > 0) b.line(`http-request set-var(${CLIENT_IP_VAR}) req.hdr_ip(X-Forwarded-For,-1) if ${TRUSTED_ACL} { req.hdr(X-Forwarded-For) -m found }`);
  }
  b.blank();

  b.comment('Security headers on every response, HAProxy\'s own (errors, 429, cache hits) included; no Server header.');
  if (tls) {
    if (spec.tls.hstsSeconds > 0) b.line(`http-after-response set-header Strict-Transport-Security "max-age=${spec.tls.hstsSeconds}" if { ssl_fc }`);
    else b.comment('tls.hstsSeconds is 0: no Strict-Transport-Security header.');
  }
  b.line(
    'http-after-response set-header X-Content-Type-Options nosniff',
    'http-after-response set-header X-Frame-Options DENY',
    'http-after-response set-header Referrer-Policy no-referrer',
    'http-after-response del-header Server',
    'http-after-response del-header X-Powered-By',
  );
  b.blank();

  b.comment('Routes: a prefix matches itself and everything below it; the longest prefix wins.');
  const ordered = routingOrder(spec.routes);
  for (const r of ordered) b.line(...routeMatch(r));
  for (const r of ordered) b.line(`use_backend ${routeBackend(r.name)} if ${routeAcl(r.name)}`);
  b.line(`default_backend ${NO_ROUTE}`);
  return b.build();
}

export function noRouteBlock(): Block {
  return new BlockBuilder(`backend ${NO_ROUTE}`, ['Anything no route matches.']).line(`http-request return status 404 content-type application/json string '{"error":"not_found"}'`).build();
}
