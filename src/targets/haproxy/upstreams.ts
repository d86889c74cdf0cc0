// Where each route goes: straight to its service, or through the TypeScript gateway. The gateway is
// the upstream when the topology has one (it then does auth, per-client limits, quotas and caching),
// and always for a route with auth other than `none`: authentication is the gateway's job, never the
// proxy's, so such a route must not bypass it.
import type { EdgeSpec, Route, Service } from '../../spec/schema.js';
import { GATEWAY_POOL, serverName, servicePool } from './names.js';

export interface UpstreamServer {
  name: string;
  port: number;
}

export interface Upstream {
  kind: 'service' | 'gateway';
  /** The backend holding the health checks of these servers. */
  pool: string;
  /** Service name, or "gateway". */
  label: string;
  servers: UpstreamServer[];
  /** An HTTP health check of this path, or a TCP connect check and why. */
  check: { kind: 'http'; path: string } | { kind: 'tcp'; why: string };
  /** Why a route goes here (a comment). */
  reason: string;
}

/** Why the gateway gets a TCP check: its /healthz is on the admin listener, whose port edge.yaml does not hold. */
const GATEWAY_TCP_CHECK =
  "NOT EXPRESSED: an HTTP check of the gateway. Its /healthz is on the admin listener (127.0.0.1, GATEWAY_ADMIN_PORT), which edge.yaml does not know; the public port has none. To follow drains too, add `option httpchk` + `http-check send meth GET uri /healthz` and `port <admin port>` to each server's check.";

export const hasTsGateway = (spec: EdgeSpec): boolean => spec.topology.components.includes('ts-gateway');

function servicePoolOf(svc: Service): Upstream {
  return {
    kind: 'service',
    pool: servicePool(svc.name),
    label: svc.name,
    servers: Array.from({ length: svc.instances }, (_, i) => ({ name: serverName(svc.name, i + 1), port: svc.port + i })),
    check: svc.protocol === 'grpc' ? { kind: 'tcp', why: 'gRPC service: a TCP connect check. NOT EXPRESSED: HAProxy 2.6 cannot call grpc.health.v1.Health/Check.' } : { kind: 'http', path: svc.health },
    reason: `service ${svc.name}`,
  };
}

function gatewayPoolOf(spec: EdgeSpec, reason: string): Upstream {
  return {
    kind: 'gateway',
    pool: GATEWAY_POOL,
    label: 'gateway',
    servers: Array.from({ length: spec.gateway.replicas }, (_, i) => ({ name: serverName('gateway', i + 1), port: spec.gateway.port + i })),
    check: { kind: 'tcp', why: GATEWAY_TCP_CHECK },
    reason,
  };
}

export function upstreamOf(spec: EdgeSpec, route: Route): Upstream {
  if (hasTsGateway(spec)) return gatewayPoolOf(spec, `the TypeScript gateway (the topology has ts-gateway; it routes to service ${route.service})`);
  if (route.auth !== 'none') return gatewayPoolOf(spec, `the TypeScript gateway (auth: ${route.auth} is enforced there; it routes to service ${route.service})`);
  const svc = spec.services.find((s) => s.name === route.service);
  if (!svc) throw new Error(`route ${route.name}: unknown service ${route.service}`); // the schema refuses this
  return servicePoolOf(svc);
}

/** Every pool some route uses, once, in spec order (gateway first). */
export function poolsOf(spec: EdgeSpec): Upstream[] {
  const pools = new Map<string, Upstream>();
  for (const r of spec.routes) {
    const u = upstreamOf(spec, r);
    if (!pools.has(u.pool)) pools.set(u.pool, u);
  }
  return [...pools.values()].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'gateway' ? -1 : 1));
}
