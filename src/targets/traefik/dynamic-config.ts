// dynamic.yml — Traefik v3 file-provider configuration: routers, services, middlewares, TLS.
// Reference: https://doc.traefik.io/traefik/reference/routing-configuration/http/
import type { EdgeSpec } from '../../spec/schema.js';
import { affinityCookie, bySpecificity, edgePlan, mbToBytes, seconds, unstickable, type Pool, type RoutePlan } from '../edge-plan.js';
import { INTERMEDIATE_CIPHERS_IANA, INTERMEDIATE_GROUPS_GO as INTERMEDIATE_CURVES_GO } from '../tls-mozilla.js';
import { redirectsToTls, tlsOn } from './static-config.js';
import { Notes } from '../yaml-doc.js';

type Obj = Record<string, unknown>;
type EntryPoint = 'web' | 'websecure';

const HEALTH = { interval: '5s', timeout: '2s' };
/** Buffered bodies up to this size stay in memory; larger ones spill to $TMPDIR. */
const MAX_MEM_BODY = 16 * 1024 * 1024;
/** A TEST-NET-1 address (RFC 5737) that never connects: an allow-list of it denies everyone. */
const NOBODY = '192.0.2.1/32';
/** Traefik's built-in service that answers nothing itself (used by redirect-only routers). */
export const NOOP_SERVICE = 'noop@internal';

/** `Path(/p) || PathPrefix(/p/)`: whole path segments only, so /api/users never matches /api/usersX. */
export function routerRule(path: string, methods: readonly string[] | undefined): string {
  const paths = path === '/' ? 'PathPrefix(`/`)' : `Path(\`${path}\`) || PathPrefix(\`${path}/\`)`;
  if (!methods) return paths;
  return `(${paths}) && (${methods.map((m) => `Method(\`${m}\`)`).join(' || ')})`;
}

const sourceCriterion = (spec: EdgeSpec): Obj =>
  spec.trustedProxies.length > 0 ? { ipStrategy: { excludedIPs: [...spec.trustedProxies] } } : { ipStrategy: { depth: 0 } };

export function dynamicConfig(spec: EdgeSpec): { value: Obj; notes: Notes } {
  const notes = new Notes();
  const plan = edgePlan(spec);
  const entryPoints: EntryPoint[] = [...(redirectsToTls(spec) ? [] : (['web'] as const)), ...(tlsOn(spec) ? (['websecure'] as const) : [])];
  const routers: Obj = {};
  const services: Obj = {};
  const middlewares: Obj = {};
  const transports: Obj = {};

  // Security headers: HSTS only on the TLS entry point; Server removed (no upstream version leaks).
  const securityHeaders = (hsts: boolean): Obj => ({
    headers: {
      frameDeny: true,
      contentTypeNosniff: true,
      referrerPolicy: 'no-referrer',
      ...(hsts && spec.tls.hstsSeconds > 0 ? { stsSeconds: spec.tls.hstsSeconds } : {}),
      customResponseHeaders: { Server: '' },
    },
  });
  if (entryPoints.includes('web')) middlewares['security-headers'] = securityHeaders(false);
  if (entryPoints.includes('websecure')) middlewares['security-headers-tls'] = securityHeaders(true);

  const transportFor = (timeout: number): string => {
    const name = `timeout-${seconds(timeout)}`;
    transports[name] ??= { forwardingTimeouts: { dialTimeout: seconds(spec.limits.connectTimeoutSeconds), responseHeaderTimeout: seconds(timeout), idleConnTimeout: '60s' } };
    return name;
  };

  const serviceFor = (pool: Pool, timeout: number): string => {
    const name = `${pool.name}-${seconds(timeout)}`;
    if (services[name]) return name;
    const scheme = pool.h2c ? 'h2c' : 'http';
    const h = pool.health;
    // An HTTP/1.1 service that also speaks h2c is probed over HTTP/1.1 (scheme http).
    const healthCheck: Obj | undefined = h.mode === 'http' ? { path: h.path, ...HEALTH, ...(pool.h2c ? { scheme: 'http' } : {}) } : h.mode === 'grpc' ? { mode: 'grpc', ...HEALTH } : undefined;
    services[name] = {
      loadBalancer: {
        servers: pool.endpoints.map((e) => ({ url: `${scheme}://${e.host}:${e.port}` })),
        ...(healthCheck ? { healthCheck } : {}),
        passHostHeader: true,
        serversTransport: transportFor(timeout),
        // Secure only when every request is HTTPS: a Secure cookie never comes back over plain HTTP.
        ...(pool.sticky ? { sticky: { cookie: { name: affinityCookie(pool), secure: redirectsToTls(spec), httpOnly: true, sameSite: 'lax' } } } : {}),
      },
    };
    notes.add(
      ['http', 'services', name],
      `${pool.kind === 'gateway' ? 'The TypeScript gateway replicas' : `Service ${pool.of}, every instance`}, ${pool.sticky ? 'sticky by cookie (sticky: true)' : 'round-robin'}.${pool.h2c ? ' h2c:// = HTTP/2 cleartext (gRPC).' : ''}`,
      healthCheck
        ? `Active health check every ${HEALTH.interval} (Traefik OSS has active checks)${h.mode === 'grpc' ? ', gRPC health protocol' : ''}.`
        : 'NO health check: Traefik checks over HTTP only, and the gateway serves /healthz on its loopback admin listener (GATEWAY_ADMIN_PORT), which edge.yaml does not know. A stopped replica keeps getting requests (502) until it is back; the gateway itself health-checks the services.',
    );
    return name;
  };

  const routeMiddlewares = (p: RoutePlan): string[] => {
    const r = p.route;
    const names: string[] = [];
    if (p.action === 'refuse') {
      middlewares['deny-all'] ??= { ipAllowList: { sourceRange: [NOBODY] } };
      return ['deny-all'];
    }
    if (p.rateLimit) {
      const name = `ratelimit-${r.name}`;
      middlewares[name] = { rateLimit: { average: p.rateLimit.requests, period: seconds(p.rateLimit.windowSeconds), burst: p.rateLimit.requests + p.rateLimit.burst, sourceCriterion: sourceCriterion(spec) } };
      const key = p.rateLimit.key;
      notes.add(
        ['http', 'middlewares', name],
        `${p.rateLimit.requests} requests / ${p.rateLimit.windowSeconds}s (+${p.rateLimit.burst} burst) per client address, 429 when exceeded.`,
        ...(key === 'global' ? ['key: global cannot be expressed: Traefik buckets per source, never one shared bucket; per address is used instead.'] : []),
        ...(key === 'client' ? ['key: client without the gateway means the client address (anonymous route).'] : []),
        spec.trustedProxies.length > 0
          ? 'ipStrategy.excludedIPs = spec.trustedProxies: the rightmost X-Forwarded-For address that is not a trusted proxy. Peers outside trustedProxies have no X-Forwarded-For here (the entry point deleted it), so they share one bucket.'
          : 'ipStrategy depth 0 without excludedIPs: the socket address; X-Forwarded-For is never read.',
      );
      names.push(name);
    }
    if (!r.websocket && !r.grpc) {
      const name = `body-${r.name}`;
      const bytes = mbToBytes(r.bodyLimitMb);
      middlewares[name] = { buffering: { maxRequestBodyBytes: bytes, memRequestBodyBytes: Math.min(bytes, MAX_MEM_BODY) } };
      notes.add(['http', 'middlewares', name], `Body limit ${r.bodyLimitMb} MiB (413). Traefik can only limit by buffering: requests and responses are buffered in memory, past 1 MiB of response (or ${MAX_MEM_BODY / 1048576} MiB of request) in $TMPDIR (npm run dev sets it to .run/traefik/tmp). Not for streaming responses (SSE).`);
      names.push(name);
    }
    const h = p.headers;
    if (h && (h.request || h.response)) {
      const name = `headers-${r.name}`;
      const asMap = (t: NonNullable<typeof h.request>): Obj => ({ ...(t.set ?? {}), ...Object.fromEntries((t.remove ?? []).map((k) => [k, ''])) });
      middlewares[name] = { headers: { ...(h.request ? { customRequestHeaders: asMap(h.request) } : {}), ...(h.response ? { customResponseHeaders: asMap(h.response) } : {}) } };
      notes.add(['http', 'middlewares', name], 'Header transforms of the route ("" removes a header).');
      names.push(name);
    }
    if (p.strip && r.path !== '/') {
      const name = `strip-${r.name}`;
      middlewares[name] = { stripPrefix: { prefixes: [r.path] } };
      names.push(name);
    }
    return names;
  };

  for (const p of [...plan.routes].sort(bySpecificity)) {
    const r = p.route;
    // A refused route reaches no upstream: Traefik's built-in no-op service stands in for one.
    const service = p.action === 'refuse' ? NOOP_SERVICE : serviceFor(p.pool, r.timeoutSeconds);
    const own = routeMiddlewares(p);
    for (const ep of entryPoints) {
      const name = ep === 'web' ? r.name : `${r.name}-tls`;
      routers[name] = {
        entryPoints: [ep],
        rule: routerRule(r.path, r.methods),
        priority: r.path.length,
        service,
        middlewares: [ep === 'web' ? 'security-headers' : 'security-headers-tls', ...own],
        ...(ep === 'websecure' ? { tls: {} } : {}),
      };
      if (ep === 'websecure' && entryPoints.includes('web')) {
        notes.add(['http', 'routers', name], `Route ${r.name} on the TLS entry point (same as router ${r.name}).`);
        continue;
      }
      const lines: string[] =
        p.action === 'refuse'
          ? [`Route ${r.name}: ${r.path} (service ${r.service}).`, `REFUSED (403, deny-all): ${p.note}`]
          : [`Route ${r.name}: ${r.path} -> ${p.via === 'gateway' ? 'TypeScript gateway' : `service ${r.service}`}${p.strip && r.path !== '/' ? ' (prefix stripped)' : ''}; upstream response timeout ${seconds(r.timeoutSeconds)}.`];
      if (p.action === 'proxy' && p.note) lines.push(`Via the gateway (${p.note}): it enforces this route's auth, rate limit and header transforms; the full path is forwarded.`);
      if (r.websocket) lines.push('WebSocket: Traefik forwards the Upgrade as is. No body limit (buffering would break the upgrade); Traefik cannot bound the session idle time.');
      if (r.grpc && p.action === 'proxy') lines.push('gRPC over h2c to the service. No body limit here (buffering would break streaming): cap message sizes in the gRPC server.');
      if (r.cacheTtlSeconds !== undefined) {
        lines.push(
          p.action === 'proxy' && p.via === 'gateway'
            ? `cacheTtlSeconds ${r.cacheTtlSeconds}: cached by the TypeScript gateway behind Traefik (Traefik OSS has no response cache).`
            : `cacheTtlSeconds ${r.cacheTtlSeconds} NOT applied: Traefik OSS has no response cache. Cache in the TypeScript gateway, a CDN, or a caching proxy (nginx proxy_cache, Varnish).`,
        );
      }
      notes.add(['http', 'routers', name], ...lines);
    }
  }

  const value: Obj = { http: { routers, services, middlewares, serversTransports: transports } };
  notes.add(['http', 'routers'], `Routers per route${entryPoints.length > 1 ? ' and entry point (web: plain HTTP, websecure: TLS)' : ''}; priority = prefix length, so the longest prefix wins.`);
  const lost = unstickable(spec, plan);
  notes.add(
    ['http', 'services'],
    plan.pools.some((p) => p.sticky) ? 'Services with sticky: true keep a client on one instance with a cookie (a down instance re-balances).' : 'No sticky cookie here (round robin).',
    ...(lost.length > 0 ? [`sticky: true of ${lost.join(', ')} is not applied here: their routes go through the TypeScript gateway, which has no session affinity.`] : []),
    'Passive checks (eject on errors) and retries are not configured: a failing instance leaves the pool at its next active check.',
  );
  notes.add(['http', 'serversTransports'], 'Per-route upstream timeouts (responseHeaderTimeout = the route timeout), connect timeout from limits.');
  if (tlsOn(spec)) {
    const cert = { certFile: spec.tls.certFile, keyFile: spec.tls.keyFile };
    value.tls = {
      certificates: [cert],
      stores: { default: { defaultCertificate: cert } },
      options: { default: { minVersion: 'VersionTLS12', cipherSuites: [...INTERMEDIATE_CIPHERS_IANA], curvePreferences: [...INTERMEDIATE_CURVES_GO], sniStrict: false } },
    };
    notes.add(['tls'], `Self-signed certificate (${spec.tls.certFile}, created by \`npm run dev\`), also the default for clients without SNI.`, `TLS options "default" apply to every TLS router: Mozilla intermediate (TLS 1.2 + 1.3, ECDHE AEAD suites only, no DHE).${spec.tls.mode === 'passthrough' ? '\ntls.mode passthrough describes production; locally the proxy terminates TLS so routes, limits and headers apply.' : ''}`);
  }
  return { value, notes };
}
