// Where each route goes, shared by the Traefik and Envoy targets (proxy-neutral). Pure: spec in,
// plan out.
//
// - Routes go to the TypeScript gateway when the topology has `ts-gateway`, and always when the route
//   needs auth: auth is enforced by the gateway, never by the proxy, so an authenticated route
//   must never bypass it (fail closed).
// - gRPC cannot go through the gateway (no end-to-end HTTP/2, knowledge `ts-gateway` grpc: no):
//   a gRPC route goes straight to its service over h2c, unless it needs auth — then the proxy
//   refuses it, because nobody on this path could authenticate it.
import type { EdgeSpec, Route } from '../spec/schema.js';

export const GATEWAY_POOL = 'ts_gateway'; // "_" is not allowed in spec names: no clash with a service
/**
 * How an upstream can be probed. The gateway serves /healthz only on its loopback admin listener
 * (GATEWAY_ADMIN_PORT, not in edge.yaml); its public port has none, so it gets a connect check.
 */
export type Probe = { mode: 'http'; path: string } | { mode: 'grpc' } | { mode: 'tcp' };
export const UPSTREAM_HOST = '127.0.0.1';

export interface Pool {
  /** Unique upstream name (Traefik service / Envoy cluster). */
  name: string;
  kind: 'service' | 'gateway';
  /** The spec service, or the gateway. */
  of: string;
  endpoints: { host: string; port: number }[];
  /** HTTP/2 cleartext with prior knowledge (gRPC). */
  h2c: boolean;
  health: Probe;
  /** Cookie affinity (spec `services[].sticky`); never for the gateway or HTTP/2 pools. */
  sticky: boolean;
}

/** A route the proxy forwards. */
export interface ProxiedRoute {
  route: Route;
  action: 'proxy';
  via: 'gateway' | 'service';
  pool: Pool;
  /** Strip the route prefix before forwarding (never towards the gateway: it matches full paths). */
  strip: boolean;
  /** The limit the proxy enforces; undefined when the gateway enforces it (or there is none). */
  rateLimit: Route['rateLimit'];
  /** Header transforms the proxy applies (the gateway applies them itself on its routes). */
  headers: Route['headers'];
  /** Why the gateway is on the path. */
  note?: string;
}

/** A route the proxy answers itself with 403 and never forwards (no upstream is defined for it). */
export interface RefusedRoute {
  route: Route;
  action: 'refuse';
  note: string;
}

export type RoutePlan = ProxiedRoute | RefusedRoute;

export interface EdgePlan {
  routes: RoutePlan[];
  pools: Pool[];
  gatewayInTopology: boolean;
}

const range = (base: number, n: number): { host: string; port: number }[] =>
  Array.from({ length: n }, (_, i) => ({ host: UPSTREAM_HOST, port: base + i }));

export function edgePlan(spec: EdgeSpec): EdgePlan {
  const gatewayInTopology = spec.topology.components.includes('ts-gateway');
  const pools = new Map<string, Pool>();
  const pool = (p: Pool): Pool => {
    const seen = pools.get(p.name);
    if (seen) return seen;
    pools.set(p.name, p);
    return p;
  };
  const gatewayPool = (): Pool =>
    pool({ name: GATEWAY_POOL, kind: 'gateway', of: 'gateway', endpoints: range(spec.gateway.port, spec.gateway.replicas), h2c: false, health: { mode: 'tcp' }, sticky: false });
  const servicePool = (route: Route): Pool => {
    const svc = spec.services.find((s) => s.name === route.service);
    if (!svc) throw new Error(`route ${route.name}: unknown service ${route.service}`); // the schema prevents this
    const h2c = route.grpc || svc.protocol === 'grpc';
    return pool({ name: h2c ? `${svc.name}_h2c` : svc.name, kind: 'service', of: svc.name, endpoints: range(svc.port, svc.instances), h2c, health: svc.protocol === 'grpc' ? { mode: 'grpc' } : { mode: 'http', path: svc.health }, sticky: svc.sticky && !h2c });
  };

  const routes = spec.routes.map((route): RoutePlan => {
    const needsAuth = route.auth !== 'none';
    if (route.grpc) {
      if (needsAuth) {
        return { route, action: 'refuse', note: `auth: ${route.auth} is enforced only by the TypeScript gateway, which cannot carry gRPC; the proxy does not authenticate, so it refuses this route (403) instead of exposing it. Set auth: none and authenticate in the gRPC service, or front it with a gRPC-capable gateway.` };
      }
      return { route, action: 'proxy', via: 'service', pool: servicePool(route), strip: route.stripPrefix, rateLimit: route.rateLimit, headers: route.headers };
    }
    if (gatewayInTopology || needsAuth) {
      const note = needsAuth && !gatewayInTopology ? `auth: ${route.auth} needs it, although the topology has no ts-gateway` : 'the topology has ts-gateway';
      return { route, action: 'proxy', via: 'gateway', pool: gatewayPool(), strip: false, rateLimit: undefined, headers: undefined, note };
    }
    return { route, action: 'proxy', via: 'service', pool: servicePool(route), strip: route.stripPrefix, rateLimit: route.rateLimit, headers: route.headers };
  });
  return { routes, pools: [...pools.values()], gatewayInTopology };
}

/** The affinity cookie of a sticky pool: one name per service, so services on one host never share it. */
export const affinityCookie = (pool: Pool): string => `affinity-${pool.of}`;

/** Spec services asking for affinity that no pool here can give (their routes all go through the gateway). */
export function unstickable(spec: EdgeSpec, plan: EdgePlan): string[] {
  return spec.services.filter((s) => s.sticky && !plan.pools.some((p) => p.kind === 'service' && p.of === s.name && p.sticky)).map((s) => s.name);
}

/** Most specific first: longer prefixes before shorter ones, then by name (deterministic). */
export function bySpecificity(a: RoutePlan, b: RoutePlan): number {
  return b.route.path.length - a.route.path.length || a.route.name.localeCompare(b.route.name);
}

/** A duration both Go (Traefik) and proto3 JSON (Envoy) accept: "30s", "0.5s". */
export const seconds = (n: number): string => `${Math.round(n * 1000) / 1000}s`;

/** MiB (the spec's bodyLimitMb) to bytes. */
export const mbToBytes = (mb: number): number => Math.round(mb * 1024 * 1024);

/** The longest timeout among plain HTTP routes (WebSocket sessions are not bounded by it). */
export function longestHttpTimeout(spec: EdgeSpec): number {
  return Math.max(...spec.routes.filter((r) => !r.websocket).map((r) => r.timeoutSeconds), 1);
}
