// Builds GatewayConfig objects for tests (the defaults edge.yaml would get) and starts gateways
// that are always closed after the test file.
import { request, type IncomingHttpHeaders } from 'node:http';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/server.js';
import type { GatewayConfig, RouteConfig, ServiceConfig } from '../../src/types.js';

export function service(name: string, port: number, instances = 1, extra: Partial<ServiceConfig> = {}): ServiceConfig {
  return { name, port, instances, health: '/healthz', protocol: 'http', ...extra };
}

export function route(name: string, path: string, svc: string, extra: Partial<RouteConfig> = {}): RouteConfig {
  return { name, path, service: svc, stripPrefix: true, auth: 'none', websocket: false, grpc: false, timeoutSeconds: 30, bodyLimitMb: 1, ...extra };
}

export function testConfig(p: { services: ServiceConfig[]; routes: RouteConfig[]; trustedProxies?: string[]; limits?: Partial<GatewayConfig['limits']>; gateway?: Partial<GatewayConfig['gateway']>; auth?: GatewayConfig['auth'] }): GatewayConfig {
  return {
    name: 'test',
    compute: 'containers',
    listen: { host: '127.0.0.1' },
    trustedProxies: p.trustedProxies ?? [],
    limits: { clientHeaderTimeoutSeconds: 10, clientBodyTimeoutSeconds: 15, idleTimeoutSeconds: 65, connectTimeoutSeconds: 5, headerKb: 16, ...p.limits },
    services: p.services,
    routes: p.routes,
    auth: p.auth ?? { jwt: { issuer: 'https://issuer.test', audience: 'api', algorithms: ['HS256'], secretEnv: 'JWT_SECRET', clockToleranceSeconds: 0, forwardClaims: ['sub'] } },
    gateway: { port: 0, replicas: 1, loadBalancing: 'round-robin', allowedOrigins: [], ...p.gateway },
  };
}

/** No active health checks unless a test wants them (passive ejection re-admits after 10 s). */
export const QUIET_HEALTH = { intervalMs: 0, timeoutMs: 1000, rise: 1, fall: 1 };

const open = new Set<Gateway>();

export async function startGateway(config: GatewayConfig, opts: GatewayOptions = {}): Promise<Gateway> {
  const gw = await createGateway(config, { port: 0, health: QUIET_HEALTH, processMetrics: false, ...opts });
  open.add(gw);
  return gw;
}

export async function closeGateways(): Promise<void> {
  await Promise.all([...open].map((g) => g.close()));
  open.clear();
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** One request on a fresh connection (no pooling), optionally from another loopback address. */
export function get(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; localAddress?: string; timeoutMs?: number } = {}): Promise<Reply> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { connection: 'close', ...opts.headers }, agent: false, ...(opts.localAddress ? { localAddress: opts.localAddress } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - t0 }));
        res.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 5000, () => req.destroy(new Error(`timeout ${path}`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Every gateway-generated error body has exactly this shape (security.md C17). */
export function isFixedErrorBody(body: string, status: number): boolean {
  try {
    const j = JSON.parse(body) as Record<string, unknown>;
    return Object.keys(j).sort().join(',') === 'error,status' && j.status === status && typeof j.error === 'string' && /^[a-z_]+$/.test(j.error);
  } catch {
    return false;
  }
}
