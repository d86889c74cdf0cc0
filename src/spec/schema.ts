// EdgeSpec: the generation IR, saved as edge.yaml in every starter. Every string that can reach a
// config file is validated here against an allow-list, so no `;`, `{`, `}`, quote, space, newline,
// `$`, `%` or `..` ever reaches a template.
import { isIP } from 'node:net';
import { z } from 'zod';
import { COMPONENT_IDS, PROXY_IDS } from '../knowledge/types.js';

export const SPEC_VERSION = 1;

/** Lowercase DNS-label-like names: projects, services (safe in every config format and as file names). */
export const NAME_RE = /^[a-z][a-z0-9-]{0,40}[a-z0-9]$|^[a-z]$/;
/** Route prefixes: absolute, unreserved characters only, no empty, `.` or `..` segment, no trailing slash. */
export const PATH_RE = /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$|^\/$/;
const HOST_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const HEADER_RE = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
const ENV_RE = /^[A-Z][A-Z0-9_]{0,63}$/;

const name = z.string().regex(NAME_RE, 'lowercase letters, digits and "-" (start with a letter, at most 42 characters)');
const routePath = z
  .string()
  .max(200)
  .regex(PATH_RE, 'an absolute path of letters, digits, "-", "_", "~" and "." (no "..", no "//", no trailing "/")')
  .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), 'no "." or ".." segment');
const host = z.string().regex(HOST_RE, 'a lowercase DNS name (RFC 1123)');
const port = z.number().int().min(1).max(65535);
const cidr = z.string().refine((s) => {
  const [ip, bits, ...rest] = s.split('/');
  if (rest.length > 0 || ip === undefined) return false;
  const v = isIP(ip);
  if (v === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (v === 4 ? 32 : 128);
}, 'an IP address or CIDR (e.g. 10.0.0.0/8)');

const headerValue = z.string().regex(/^[A-Za-z0-9 ._:/=,+*-]{0,200}$/, 'letters, digits, space and ._:/=,+*- only (no quotes, braces, semicolons, $ or %)');
const headerTransform = z.strictObject({
  set: z.record(z.string().regex(HEADER_RE), headerValue).optional(),
  remove: z.array(z.string().regex(HEADER_RE)).optional(),
});

/** Free text that only reaches Markdown documents (README, ADR): one line, no control characters. */
const docText = z.string().max(600).refine((t) => ![...t].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'one line of text');

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export const rateLimitSchema = z.strictObject({
  requests: z.number().int().min(1).max(1_000_000).describe('requests allowed per window'),
  windowSeconds: z.number().int().min(1).max(86_400).describe('window length in seconds'),
  key: z.enum(['client', 'ip', 'global']).describe('client: the authenticated client (API key or JWT subject; the IP when anonymous); ip: the client address (never a spoofable header); global: one bucket'),
  burst: z.number().int().min(0).max(1_000_000).default(0).describe('extra requests allowed in a burst'),
});

export const routeSchema = z.strictObject({
  name: name.describe('route id (unique)'),
  path: routePath.describe('path prefix'),
  methods: z.array(z.enum(METHODS)).min(1).optional().describe('omitted: every method'),
  service: name.describe('target service'),
  stripPrefix: z.boolean().default(true).describe('remove the prefix before forwarding'),
  auth: z.enum(['none', 'jwt', 'api-key']).default('none'),
  rateLimit: rateLimitSchema.optional(),
  cacheTtlSeconds: z.number().int().min(1).max(86_400).optional().describe('cache GET/HEAD responses for this long (only cacheable responses)'),
  websocket: z.boolean().default(false),
  grpc: z.boolean().default(false),
  timeoutSeconds: z.number().min(0.1).max(3600).default(30),
  bodyLimitMb: z.number().min(0.001).max(10_240).default(1),
  headers: z
    .strictObject({
      request: headerTransform.optional(),
      response: headerTransform.optional(),
    })
    .optional()
    .describe('header transforms (applied by the TypeScript gateway; proxies apply `set` where they can)'),
});

export const serviceSchema = z.strictObject({
  name,
  port: port.describe('first instance port; instance i listens on port + i'),
  instances: z.number().int().min(1).max(16),
  health: routePath.default('/healthz'),
  protocol: z.enum(['http', 'grpc']).default('http'),
  sticky: z.boolean().default(false).describe('keep a client on one instance (cookie affinity where the proxy has it)'),
});

export const specSchema = z
  .strictObject({
    version: z.literal(SPEC_VERSION),
    name: name.describe('project name'),
    topology: z.strictObject({
      id: z.string().regex(/^[a-z0-9-]{1,64}$/),
      components: z.array(z.enum(COMPONENT_IDS)).min(1),
      paths: z.array(z.strictObject({ clients: z.array(z.enum(['public', 'partners', 'internal'])).min(1), hops: z.array(z.enum(COMPONENT_IDS)).min(1) })).min(1),
    }),
    platform: z.enum(['aws', 'self-hosted', 'kubernetes']),
    compute: z.enum(['lambda', 'containers', 'vms']),
    proxy: z.enum(PROXY_IDS).describe('the proxy whose config is primary (the recommendation or your `proxy` answer)'),
    targets: z.array(z.enum(['nginx', 'haproxy', 'caddy', 'traefik', 'envoy', 'k8s', 'gateway'])).min(1).describe('what to generate besides services, compose and docs'),
    listen: z.strictObject({
      host: z.enum(['127.0.0.1', '0.0.0.0']).default('127.0.0.1').describe('the address proxies and the gateway bind'),
      httpPort: port.default(8080),
      httpsPort: port.default(8443),
      serverName: host.default('localhost').describe('the public host name (TLS certificate, redirects)'),
    }),
    tls: z.strictObject({
      mode: z.enum(['terminate', 'passthrough']).default('terminate'),
      local: z.enum(['self-signed', 'off']).default('self-signed').describe('self-signed: an HTTPS listener with a certificate `npm run dev` creates (openssl); off: plain HTTP only'),
      redirectHttp: z.boolean().default(false).describe('redirect plain HTTP to HTTPS (production); off in local development'),
      profile: z.literal('intermediate').default('intermediate').describe("Mozilla's intermediate guideline (TLS 1.2 + 1.3)"),
      hstsSeconds: z.number().int().min(0).max(63_072_000).default(63_072_000),
      certFile: z.string().regex(/^[a-z0-9][a-z0-9._/-]{0,120}$/).default('certs/server.crt'),
      keyFile: z.string().regex(/^[a-z0-9][a-z0-9._/-]{0,120}$/).default('certs/server.key'),
    }),
    trustedProxies: z.array(cidr).default([]).describe('peers whose X-Forwarded-For is believed (e.g. the load balancer subnet); empty: trust nobody'),
    limits: z.strictObject({
      clientHeaderTimeoutSeconds: z.number().min(1).max(300).default(10),
      clientBodyTimeoutSeconds: z.number().min(1).max(3600).default(15),
      idleTimeoutSeconds: z.number().min(1).max(3600).default(65),
      connectTimeoutSeconds: z.number().min(0.1).max(75).default(5),
      headerKb: z.number().int().min(1).max(64).default(16),
    }),
    services: z.array(serviceSchema).min(1).max(500),
    routes: z.array(routeSchema).min(1).max(1000),
    auth: z
      .strictObject({
        jwt: z
          .strictObject({
            issuer: z.string().regex(/^[A-Za-z0-9:/._-]{1,200}$/),
            audience: z.string().regex(/^[A-Za-z0-9:/._-]{1,200}$/),
            algorithms: z.array(z.enum(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256', 'HS256', 'HS384', 'HS512', 'EdDSA'])).min(1),
            jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
            secretEnv: z.string().regex(ENV_RE).optional().describe('for HS* algorithms: the environment variable holding the secret'),
            clockToleranceSeconds: z.number().int().min(0).max(300).default(0),
            forwardClaims: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,40}$/)).default(['sub']),
          })
          .optional(),
        apiKeys: z
          .strictObject({
            header: z.string().regex(HEADER_RE).default('x-api-key'),
            keysEnv: z.string().regex(ENV_RE).default('API_KEYS').describe('environment variable: comma-separated id:key pairs'),
            quota: z.strictObject({ requests: z.number().int().min(1), periodSeconds: z.number().int().min(60).max(31_622_400) }).optional(),
          })
          .optional(),
      })
      .default({}),
    gateway: z
      .strictObject({
        port: port.default(8088),
        adminPort: port.default(9901).describe('health and metrics listener on 127.0.0.1 (replica i: adminPort + i)'),
        trustedProxies: z.array(cidr).default([]).describe('peers whose X-Forwarded-For the gateway believes: the reverse proxy in front of it'),
        replicas: z.number().int().min(1).max(16).default(1),
        redis: z.strictObject({ url: z.string().regex(/^redis:\/\/[A-Za-z0-9.:@/_-]{1,200}$/), failMode: z.enum(['open', 'closed']).default('open') }).optional(),
        loadBalancing: z.enum(['round-robin', 'least-outstanding']).default('round-robin'),
        lambdaEventFormat: z.enum(['1.0', '2.0']).optional().describe('compute: lambda — the API Gateway payload format the local gateway emulates'),
        allowedOrigins: z.array(z.url()).default([]).describe('WebSocket Origin allow-list'),
      })
      .default({ port: 8088, adminPort: 9901, trustedProxies: [], replicas: 1, loadBalancing: 'round-robin', allowedOrigins: [] }),
    decision: z
      .strictObject({
        knowledgeVersion: z.string().regex(/^[0-9.]{1,20}$/),
        summary: docText,
        answers: z.record(z.string().regex(/^[a-zA-Z]{1,40}$/), z.unknown()),
        reasons: z.array(z.strictObject({ rule: z.string().regex(/^[a-z0-9-]{1,64}$/), message: docText })),
        warnings: z.array(z.strictObject({ rule: z.string().regex(/^[a-z0-9-]{1,64}$/), message: docText })),
        alternatives: z.array(z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,64}$/), components: z.array(z.enum(COMPONENT_IDS)), rejectedBy: z.array(z.string().regex(/^[a-z0-9-]{1,64}$/)) })),
        monthlyUsd: z.number().nonnegative().optional(),
      })
      .optional()
      .describe('why this topology (from `edgewise recommend`); used for README and the decision record only'),
  })
  .superRefine((s, ctx) => {
    const services = new Set<string>();
    s.services.forEach((svc, i) => {
      if (services.has(svc.name)) ctx.addIssue({ code: 'custom', path: ['services', i, 'name'], message: `duplicate service ${svc.name}` });
      services.add(svc.name);
    });
    const ports = new Map<number, string>();
    const claim = (p: number, who: string, path: (string | number)[]): void => {
      const other = ports.get(p);
      if (other) ctx.addIssue({ code: 'custom', path, message: `port ${p} used by both ${other} and ${who}` });
      ports.set(p, who);
    };
    claim(s.listen.httpPort, 'listen.httpPort', ['listen', 'httpPort']);
    claim(s.listen.httpsPort, 'listen.httpsPort', ['listen', 'httpsPort']);
    if (s.targets.includes('gateway')) {
      for (let i = 0; i < s.gateway.replicas; i++) {
        claim(s.gateway.port + i, `gateway#${i + 1}`, ['gateway', 'port']);
        claim(s.gateway.adminPort + i, `gateway#${i + 1} admin`, ['gateway', 'adminPort']);
      }
    }
    s.services.forEach((svc, i) => {
      for (let k = 0; k < svc.instances; k++) {
        if (svc.port + k > 65535) ctx.addIssue({ code: 'custom', path: ['services', i, 'port'], message: 'instance ports exceed 65535' });
        claim(svc.port + k, `${svc.name}#${k + 1}`, ['services', i, 'port']);
      }
    });
    const routes = new Set<string>();
    const prefixes = new Set<string>();
    s.routes.forEach((r, i) => {
      if (routes.has(r.name)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'name'], message: `duplicate route ${r.name}` });
      routes.add(r.name);
      if (prefixes.has(r.path)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'path'], message: `duplicate route path ${r.path}` });
      prefixes.add(r.path);
      if (!services.has(r.service)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'service'], message: `unknown service ${r.service}` });
      if (r.auth === 'jwt' && !s.auth.jwt) ctx.addIssue({ code: 'custom', path: ['routes', i, 'auth'], message: 'auth: jwt needs auth.jwt' });
      if (r.auth === 'api-key' && !s.auth.apiKeys) ctx.addIssue({ code: 'custom', path: ['routes', i, 'auth'], message: 'auth: api-key needs auth.apiKeys' });
      if (r.auth !== 'none' && !s.targets.includes('gateway')) ctx.addIssue({ code: 'custom', path: ['routes', i, 'auth'], message: `auth: ${r.auth} is enforced by the TypeScript gateway; add "gateway" to targets` });
    });
    const jwt = s.auth.jwt;
    if (jwt) {
      const hs = jwt.algorithms.some((a) => a.startsWith('HS'));
      const asym = jwt.algorithms.some((a) => !a.startsWith('HS'));
      if (hs && asym) ctx.addIssue({ code: 'custom', path: ['auth', 'jwt', 'algorithms'], message: 'do not mix HMAC (HS*) and public-key algorithms' });
      if (hs && !jwt.secretEnv) ctx.addIssue({ code: 'custom', path: ['auth', 'jwt', 'secretEnv'], message: 'HS* algorithms need secretEnv' });
      if (asym && !jwt.jwksUrl) ctx.addIssue({ code: 'custom', path: ['auth', 'jwt', 'jwksUrl'], message: 'public-key algorithms need jwksUrl' });
    }
  });

export type EdgeSpec = z.infer<typeof specSchema>;
export type EdgeSpecInput = z.input<typeof specSchema>;
export type Route = EdgeSpec['routes'][number];
export type Service = EdgeSpec['services'][number];
export type TargetId = EdgeSpec['targets'][number];
