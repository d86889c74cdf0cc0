// Answers + recommendation → EdgeSpec, with sample content: `services: 3` gives three named sample
// services, each behind /api/<name>; a WebSocket route when protocols has websocket; rate limits and
// cache TTLs when asked. Pure.
import type { Answers } from '../engine/answers.js';
import type { Recommendation } from '../engine/recommendation.js';
import { PROXY_IDS, type ProxyId } from '../knowledge/types.js';
import { specSchema, type EdgeSpec, type EdgeSpecInput, type TargetId } from './schema.js';

const SAMPLE_NAMES = ['users', 'orders', 'catalog', 'payments', 'inventory', 'search', 'reviews', 'shipping', 'accounts', 'notifications'];
export const SERVICE_BASE_PORT = 9101;
export const PORT_STRIDE = 10;

export const sampleServiceName = (i: number): string => SAMPLE_NAMES[i] ?? `service-${i + 1}`;

/** The proxy of the recommendation, or the `proxy` answer, or nginx as the local stand-in. */
export function primaryProxy(rec: Recommendation): ProxyId {
  const inTopology = rec.topology.components.find((c): c is ProxyId => (PROXY_IDS as readonly string[]).includes(c));
  if (rec.answers.proxy !== 'auto') return rec.answers.proxy;
  return inTopology ?? 'nginx';
}

export function targetsFor(rec: Recommendation, extra: readonly TargetId[] = []): TargetId[] {
  const a = rec.answers;
  const t = new Set<TargetId>();
  if (a.platform === 'kubernetes') t.add('k8s');
  else if (a.platform === 'self-hosted') t.add(primaryProxy(rec));
  if (rec.topology.components.includes('ts-gateway') || a.platform === 'aws') t.add('gateway');
  for (const x of extra) t.add(x);
  if (t.size === 0) t.add(primaryProxy(rec));
  const order: TargetId[] = ['nginx', 'haproxy', 'caddy', 'traefik', 'envoy', 'k8s', 'gateway'];
  return order.filter((x) => t.has(x));
}

export function deriveSpec(rec: Recommendation, opts: { name: string; targets?: readonly TargetId[] }): EdgeSpec {
  const a: Answers = rec.answers;
  const instances = a.instances === 'multiple' && a.compute !== 'lambda' ? 2 : a.instances === 'multiple' ? 2 : 1;
  const services = Array.from({ length: a.services }, (_, i) => ({
    name: sampleServiceName(i),
    port: SERVICE_BASE_PORT + i * PORT_STRIDE,
    instances,
    health: '/healthz',
    protocol: 'http' as const,
    sticky: a.stickySessions && instances > 1,
  }));
  const routeAuth = a.auth.includes('jwt') ? 'jwt' : a.auth.includes('api-key') ? 'api-key' : 'none';
  const rateLimit =
    a.rateLimit === 'none'
      ? undefined
      : a.rateLimit === 'global'
        ? { requests: Math.max(10, Math.ceil(a.rps)), windowSeconds: 1, key: 'global' as const, burst: Math.max(10, Math.ceil(a.rps / 2)) }
        : { requests: Math.max(5, Math.ceil(a.rps / 10)), windowSeconds: 1, key: (routeAuth === 'none' ? 'ip' : 'client') as 'ip' | 'client', burst: Math.max(5, Math.ceil(a.rps / 10)) };
  const timeoutSeconds = Math.min(3600, Math.max(1, a.maxRequestSeconds));
  const bodyLimitMb = Math.min(10_240, Math.max(0.001, a.maxPayloadMb));
  const routes: EdgeSpecInput['routes'] = services.map((s) => ({
    name: s.name,
    path: `/api/${s.name}`,
    service: s.name,
    stripPrefix: true,
    auth: routeAuth,
    ...(rateLimit ? { rateLimit } : {}),
    ...(a.caching ? { cacheTtlSeconds: 30 } : {}),
    timeoutSeconds,
    bodyLimitMb,
  }));
  const first = services[0]!.name;
  if (a.protocols.includes('websocket')) {
    routes.push({ name: 'ws', path: '/ws', service: first, stripPrefix: false, auth: routeAuth, websocket: true, ...(rateLimit ? { rateLimit } : {}), timeoutSeconds: Math.max(timeoutSeconds, 3600), bodyLimitMb });
  }
  if (a.protocols.includes('grpc')) {
    routes.push({ name: 'grpc', path: '/sample.v1.Greeter', service: first, stripPrefix: false, auth: routeAuth, grpc: true, timeoutSeconds, bodyLimitMb });
  }
  const isLambda = a.compute === 'lambda' && a.platform === 'aws';
  const input: EdgeSpecInput = {
    version: 1,
    name: opts.name,
    topology: { id: rec.topology.id, components: rec.topology.components, paths: rec.topology.paths.map((p) => ({ clients: p.clients, hops: p.hops })) },
    platform: a.platform,
    compute: a.compute,
    proxy: primaryProxy(rec),
    targets: targetsFor(rec, opts.targets ?? []),
    listen: { host: '127.0.0.1', httpPort: 8080, httpsPort: 8443, serverName: 'localhost' },
    tls: { mode: a.tls, local: 'self-signed', redirectHttp: false },
    trustedProxies: [],
    limits: {},
    services,
    routes,
    auth: {
      ...(routeAuth === 'jwt' ? { jwt: { issuer: 'https://auth.example.com/', audience: opts.name, algorithms: ['RS256'], jwksUrl: 'https://auth.example.com/.well-known/jwks.json' } } : {}),
      ...(a.auth.includes('api-key') || a.quotas ? { apiKeys: { header: 'x-api-key', keysEnv: 'API_KEYS', ...(a.quotas ? { quota: { requests: 10_000, periodSeconds: 2_592_000 } } : {}) } } : {}),
    },
    gateway: {
      port: 8088,
      // Behind a reverse proxy on this host, the gateway believes the proxy's X-Forwarded-For.
      trustedProxies: rec.topology.paths.some((p) => p.hops.indexOf('ts-gateway') > 0) ? ['127.0.0.1/32'] : [],
      replicas: rec.topology.components.includes('redis') ? 2 : 1,
      ...(rec.topology.components.includes('redis') ? { redis: { url: 'redis://127.0.0.1:6379', failMode: 'open' } } : {}),
      loadBalancing: 'round-robin',
      ...(isLambda ? { lambdaEventFormat: rec.topology.components.includes('apigw-rest') ? '1.0' : '2.0' } : {}),
      allowedOrigins: a.protocols.includes('websocket') ? ['http://localhost:8080'] : [],
    },
    decision: {
      knowledgeVersion: rec.knowledgeVersion,
      summary: rec.topology.summary,
      answers: { ...a },
      reasons: rec.reasons,
      warnings: rec.warnings,
      alternatives: rec.alternatives.map((x) => ({ id: x.id, components: x.components, rejectedBy: x.rejectedBy })),
      ...(a.platform === 'aws' ? { monthlyUsd: rec.cost.monthlyUsd } : {}),
    },
  };
  return specSchema.parse(input);
}
