// One HTTPRoute (or GRPCRoute) per edge.yaml route: PathPrefix match, URLRewrite for stripPrefix,
// the route timeout, security headers, and backendRefs to the Service (or the TypeScript gateway).
import { duration } from './duration.js';
import { GATEWAY_NAME, type K8sModel, type RouteModel } from './model.js';
import type { Annotated, ManifestFile } from './objects.js';

type Header = { name: string; value: string };

/** OWASP REST cheat sheet response headers; HSTS only on the TLS listener. */
function securityHeaders(m: K8sModel, tls: boolean): Header[] {
  const h: Header[] = [
    { name: 'X-Content-Type-Options', value: 'nosniff' },
    { name: 'X-Frame-Options', value: 'DENY' },
    { name: 'Referrer-Policy', value: 'no-referrer' },
  ];
  if (tls && m.spec.tls.hstsSeconds > 0) h.unshift({ name: 'Strict-Transport-Security', value: `max-age=${m.spec.tls.hstsSeconds}` });
  return h;
}

/** Merges header lists by name (later wins), keeping first-seen order: the CRD keys `set` by name. */
function mergeHeaders(...lists: Header[][]): Header[] {
  const byName = new Map<string, Header>();
  for (const h of lists.flat()) byName.set(h.name.toLowerCase(), h);
  return [...byName.values()];
}

const toHeaders = (rec: Record<string, string> | undefined): Header[] => Object.entries(rec ?? {}).map(([name, value]) => ({ name, value }));

function parentRefs(sections: readonly string[]): Record<string, unknown>[] {
  return sections.map((sectionName) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: GATEWAY_NAME, sectionName }));
}

function httpRoute(m: K8sModel, rm: RouteModel, name: string, section: 'http' | 'https', twin = false): Annotated {
  const r = rm.route;
  const tlsListener = section === 'https';
  const path = { type: 'PathPrefix', value: r.path };
  const matches = r.methods ? r.methods.map((method) => ({ path, method })) : [{ path }];
  // Header transforms are the TypeScript gateway's job when it is in the path (it reads edge.yaml).
  const transforms = rm.upstream.viaTsGateway ? undefined : r.headers;
  const filters: Record<string, unknown>[] = [];
  // The TypeScript gateway matches edge.yaml routes on the full path and strips the prefix itself.
  if (r.stripPrefix && r.path !== '/' && !rm.upstream.viaTsGateway) filters.push({ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } });
  const reqSet = toHeaders(transforms?.request?.set);
  const reqRemove = transforms?.request?.remove ?? [];
  if (reqSet.length > 0 || reqRemove.length > 0) filters.push({ type: 'RequestHeaderModifier', requestHeaderModifier: { ...(reqSet.length ? { set: reqSet } : {}), ...(reqRemove.length ? { remove: reqRemove } : {}) } });
  const resRemove = transforms?.response?.remove ?? [];
  filters.push({ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: mergeHeaders(securityHeaders(m, tlsListener), toHeaders(transforms?.response?.set)), ...(resRemove.length ? { remove: resRemove } : {}) } });
  const rule = (ms: typeof matches) => ({
    matches: ms,
    filters,
    backendRefs: [{ group: '', kind: 'Service', name: rm.upstream.service, port: rm.upstream.port }],
    timeouts: { request: duration(r.timeoutSeconds) },
  });
  // ReplacePrefixMatch needs exactly one PathPrefix match per rule (HTTPRoute CEL rule): one rule per method then.
  const rewrites = filters.some((f) => f.type === 'URLRewrite');
  const rules = rewrites && matches.length > 1 ? matches.map((x) => rule([x])) : [rule(matches)];
  return {
    object: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: m.namespace, labels: m.labels(r.name) }, spec: { parentRefs: parentRefs([section]), rules } },
    comment: twin ? [` Route ${r.name} again, on the plain HTTP listener: the same rule without Strict-Transport-Security.`] : routeComment(m, rm, section),
  };
}

function grpcRoute(m: K8sModel, rm: RouteModel): Annotated {
  const g = rm.grpc!;
  return {
    object: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GRPCRoute',
      metadata: { name: rm.name, namespace: m.namespace, labels: m.labels(rm.route.name) },
      spec: {
        parentRefs: parentRefs(rm.sections),
        rules: [{ matches: [{ method: { type: 'Exact', service: g.service, ...(g.method ? { method: g.method } : {}) } }], backendRefs: [{ group: '', kind: 'Service', name: rm.upstream.service, port: rm.upstream.port }] }],
      },
    },
    comment: routeComment(m, rm, rm.sections[0]!),
  };
}

/** Says, per route, what the Gateway API expresses and where the rest went. */
function routeComment(m: K8sModel, rm: RouteModel, section: string): string[] {
  const r = rm.route;
  const eg = m.impl.id === 'envoy-gateway';
  const lines = [` Route ${r.name}: ${r.path} on listener ${section} → Service ${rm.upstream.service}:${rm.upstream.port}${rm.upstream.viaTsGateway ? ' (the TypeScript gateway)' : ''}.`];
  if (rm.kind === 'HTTPRoute') {
    if (r.stripPrefix && r.path !== '/') lines.push(rm.upstream.viaTsGateway ? ' stripPrefix: done by the TypeScript gateway (it needs the full path to match the route).' : ` stripPrefix: URLRewrite ReplacePrefixMatch turns ${r.path}/x into /x.`);
    lines.push(` Timeout: timeouts.request ${duration(r.timeoutSeconds)} (whole request${r.websocket ? ', and so the lifetime of an upgraded WebSocket' : ''}).`);
    lines.push(` Security headers: ResponseHeaderModifier${section === 'https' ? ' (HSTS only here, on the TLS listener)' : ' (no HSTS on plain HTTP)'}. Server header: ${eg ? 'Envoy sends "server: envoy" without a version' : 'set by the implementation (check it omits the version)'}.`);
  } else {
    lines.push(' GRPCRoute: the implementation speaks HTTP/2 to the backend (Service port appProtocol kubernetes.io/h2c).');
    lines.push(` GRPCRoute has no timeouts field (Gateway API v1.6): clients set gRPC deadlines; ${r.timeoutSeconds}s is not enforced here.`);
  }
  if (r.websocket) lines.push(' WebSocket: HTTP/1.1 Upgrade passes through HTTPRoute (Envoy Gateway enables it by default; other implementations: check).');
  if (r.auth !== 'none') lines.push(` Auth ${r.auth}: enforced by the TypeScript gateway, never by the edge.`);
  if (r.rateLimit && rm.upstream.viaTsGateway && !eg) {
    lines.push(` Rate limit ${r.rateLimit.requests}/${r.rateLimit.windowSeconds}s (key ${r.rateLimit.key}): enforced by the TypeScript gateway; not in the Gateway API.`);
  } else if (r.rateLimit) {
    lines.push(
      eg
        ? ` Rate limit ${r.rateLimit.requests}/${r.rateLimit.windowSeconds}s (key ${r.rateLimit.key}): not in the Gateway API; see the BackendTrafficPolicy ${r.name} in policies/envoy-gateway.yaml.`
        : ` Rate limit ${r.rateLimit.requests}/${r.rateLimit.windowSeconds}s (key ${r.rateLimit.key}): NOT applied. Not in the Gateway API and not generated for ${m.impl.title}; use ${m.impl.policies}.`,
    );
  }
  if (r.cacheTtlSeconds !== undefined) {
    lines.push(
      rm.upstream.viaTsGateway
        ? ` Cache ${r.cacheTtlSeconds}s: done by the TypeScript gateway (Gateway API has no response cache).`
        : ` Cache ${r.cacheTtlSeconds}s: NOT applied. Gateway API${eg ? ' and Envoy Gateway have' : ' has'} no response cache; put a CDN in front, or add the TypeScript gateway (targets: gateway).`,
    );
  }
  lines.push(` Body limit ${r.bodyLimitMb} MB: not expressible in the Gateway API${eg ? ' (Envoy Gateway has no stable body-size field)' : ''}; ${rm.upstream.viaTsGateway ? 'the TypeScript gateway enforces it' : 'the backend must enforce it'}.`);
  for (const n of rm.notes) lines.push(` ${n}`);
  return lines;
}

function redirectRoute(m: K8sModel): Annotated {
  return {
    object: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'https-redirect', namespace: m.namespace, labels: m.labels('https-redirect') },
      spec: {
        parentRefs: parentRefs(['http']),
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', port: m.spec.listen.httpsPort, statusCode: 301 } }] }],
      },
    },
    comment: [' tls.redirectHttp: every plain HTTP request is redirected to HTTPS (no route serves plain HTTP).'],
  };
}

function tlsRoute(m: K8sModel): Annotated {
  const up = m.passthrough!;
  return {
    object: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TLSRoute',
      metadata: { name: 'tls-passthrough', namespace: m.namespace, labels: m.labels('tls-passthrough') },
      spec: { parentRefs: parentRefs(['tls']), hostnames: [m.spec.listen.serverName], rules: [{ backendRefs: [{ group: '', kind: 'Service', name: up.service, port: up.port }] }] },
    },
    comment: [
      ` TLS passthrough for ${m.spec.listen.serverName}: encrypted bytes go to Service ${up.service}:${up.port}, which must terminate TLS itself`,
      ' (the sample services do not). One backend per host name: SNI carries no path.',
    ],
  };
}

export function routeFiles(m: K8sModel): ManifestFile[] {
  const files: ManifestFile[] = m.routes.map((rm) => {
    if (rm.kind === 'GRPCRoute') return { path: `k8s/routes/${rm.route.name}.yaml`, docs: [grpcRoute(m, rm)] };
    const docs = [httpRoute(m, rm, rm.name, rm.sections[0]!)];
    if (rm.plainTwin) docs.push(httpRoute(m, rm, rm.plainTwin, 'http', true));
    return { path: `k8s/routes/${rm.route.name}.yaml`, docs };
  });
  if (m.tls !== 'off' && m.spec.tls.redirectHttp) files.push({ path: 'k8s/routes/_https-redirect.yaml', docs: [redirectRoute(m)] });
  if (m.tls === 'passthrough' && m.passthrough) files.push({ path: 'k8s/routes/_tls-passthrough.yaml', docs: [tlsRoute(m)] });
  return files;
}
