// Shared types of the edgewise gateway. The gateway reads edge.yaml (the EdgeSpec written by
// edgewise); these are the parts it uses, with the same field names.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface RateLimitConfig {
  requests: number;
  windowSeconds: number;
  key: 'client' | 'ip' | 'global';
  burst: number;
}

export interface RouteConfig {
  name: string;
  path: string;
  methods?: Method[];
  service: string;
  stripPrefix: boolean;
  auth: 'none' | 'jwt' | 'api-key';
  rateLimit?: RateLimitConfig;
  cacheTtlSeconds?: number;
  websocket: boolean;
  grpc: boolean;
  timeoutSeconds: number;
  bodyLimitMb: number;
  headers?: { request?: HeaderTransform; response?: HeaderTransform };
}

export interface HeaderTransform {
  set?: Record<string, string>;
  remove?: string[];
}

export interface ServiceConfig {
  name: string;
  port: number;
  instances: number;
  health: string;
  protocol: 'http' | 'grpc';
  sticky?: boolean;
  /** Optional: the host of the instances (default 127.0.0.1); `https://` upstreams verify TLS. */
  host?: string;
  tls?: boolean;
}

export interface JwtConfig {
  issuer: string;
  audience: string;
  algorithms: string[];
  jwksUrl?: string;
  secretEnv?: string;
  clockToleranceSeconds: number;
  forwardClaims: string[];
}

export interface ApiKeysConfig {
  header: string;
  keysEnv: string;
  quota?: { requests: number; periodSeconds: number };
}

export interface GatewaySection {
  port: number;
  /** Health and metrics listener on 127.0.0.1 (replica i: adminPort + i, set through GATEWAY_ADMIN_PORT). */
  adminPort?: number;
  replicas: number;
  redis?: { url: string; failMode: 'open' | 'closed' };
  loadBalancing: 'round-robin' | 'least-outstanding';
  lambdaEventFormat?: '1.0' | '2.0';
  allowedOrigins: string[];
}

export interface Limits {
  clientHeaderTimeoutSeconds: number;
  clientBodyTimeoutSeconds: number;
  idleTimeoutSeconds: number;
  connectTimeoutSeconds: number;
  headerKb: number;
}

/** The edge.yaml fields the gateway reads. */
export interface GatewayConfig {
  name: string;
  compute: 'lambda' | 'containers' | 'vms';
  listen: { host: string };
  trustedProxies: string[];
  limits: Limits;
  services: ServiceConfig[];
  routes: RouteConfig[];
  auth: { jwt?: JwtConfig; apiKeys?: ApiKeysConfig };
  gateway: GatewaySection;
  /** The directory of edge.yaml (set by loadConfig): `compute: lambda` finds `functions/<service>/index.ts` under it. Default: the working directory. */
  root?: string;
}

/** Who the request is, once a policy has authenticated it. */
export interface Identity {
  kind: 'jwt' | 'api-key';
  /** Stable client id: the JWT `sub` or the API key's id (never the key itself). */
  subject: string;
  claims?: Record<string, unknown>;
}

/** One upstream instance picked by the balancer. */
export interface Upstream {
  service: string;
  instance: number;
  origin: string; // e.g. http://127.0.0.1:9101
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  route: RouteConfig;
  /** The client address after trusted-proxy resolution (never taken from an untrusted header). */
  clientIp: string;
  /** Normalised request path (percent-decoding of unreserved characters, dot segments resolved). */
  path: string;
  /** Path and query sent upstream (prefix stripped when the route says so). */
  upstreamPath: string;
  query: string;
  identity?: Identity;
  /**
   * Headers the gateway adds upstream after stripping hop-by-hop and client-supplied identity
   * headers (x-user-*, x-auth-*, x-gateway-*). Policies put verified claims here.
   */
  addHeaders: Record<string, string>;
  /** Set by a policy (the cache) that wants the upstream response: the proxy buffers up to maxBytes. */
  capture?: { maxBytes: number; done(status: number, headers: Record<string, string | string[]>, body: Buffer): void };
  /**
   * Response fields a policy adds to the proxied response (flat [name, value, …]: RateLimit,
   * X-Cache), appended by the core to the list it passes to writeHead. Policies do not call
   * res.setHeader before the core's writeHead: on Node 20, writeHead(status, array) after a
   * setHeader keeps only the last of repeated upstream fields (two Set-Cookie become one).
   */
  responseHeaders?: string[];
  log: Logger;
  startedAt: bigint;
}

/**
 * A policy in the request pipeline. `handle` returns true when it has answered the request itself
 * (401, 429, a cache hit, a Lambda response) and the pipeline stops.
 */
export interface Stage {
  name: string;
  handle(ctx: RequestContext): boolean | Promise<boolean>;
  close?(): Promise<void>;
}

/** What the core gives the policies. */
export interface GatewayDeps {
  config: GatewayConfig;
  log: Logger;
  metrics: {
    /** Increments a counter `edgewise_gateway_<name>_total` with labels. */
    count(name: string, labels?: Record<string, string>): void;
  };
  /** Picks a healthy instance of a service (the same balancer the HTTP proxy uses). */
  pick(service: string): Upstream | undefined;
  /** Releases an instance picked for a long-lived connection (least-outstanding accounting). */
  release(up: Upstream): void;
  /** Sends a gateway-generated error: fixed JSON body `{ error, status }`, no internal detail. */
  sendError(res: ServerResponse, status: number, error: string, headers?: Record<string, string>): void;
}

/** The policies, in pipeline order: before auth (IP/global limits), auth, after auth, terminal. */
export interface Policies {
  preAuth: Stage[];
  auth: Stage[];
  postAuth: Stage[];
  /** Answers instead of the HTTP proxy (local Lambda functions). */
  terminal?: Stage;
  /** WebSocket upgrades on a websocket route: auth, rate limit, Origin, size limits, then the tunnel. */
  upgrade?(req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer, route: RouteConfig, clientIp: string): void;
  close(): Promise<void>;
}
