// The view-model of the Kubernetes target: names, labels, which listener each route attaches to
// and which Service answers it. Every builder reads this, never the raw spec alone.
import { EwError } from '../../errors.js';
import type { EdgeSpec, Route, Service } from '../../spec/schema.js';
import { implementationFor, type Implementation } from './implementation.js';

export const GATEWAY_NAME = 'edge';
/** The Deployment/Service of the TypeScript gateway when the topology has one. */
export const TS_GATEWAY_NAME = 'edge-gateway';
/** gRPC port added to an HTTP sample service that a gRPC route targets (the conventional gRPC port). */
export const GRPC_PORT = 50051;

/** Where a route's traffic goes: a Service port. */
export interface Upstream {
  service: string;
  port: number;
  /** Active health check: an HTTP path, or a TCP connect (gRPC, the TS gateway). */
  health: { type: 'HTTP'; path: string } | { type: 'TCP' };
  viaTsGateway: boolean;
}

export interface RouteModel {
  route: Route;
  kind: 'HTTPRoute' | 'GRPCRoute';
  /** For GRPCRoute: the service (and method) matched. */
  grpc?: { service: string; method?: string };
  upstream: Upstream;
  /** Object name of the route on the HTTPS (or only) listener. */
  name: string;
  /** The listeners it attaches to. */
  sections: ('http' | 'https')[];
  /** HTTPRoute twin on the plain listener (no HSTS), when TLS terminates and HTTP is not redirected. */
  plainTwin?: string;
  notes: string[];
}

export interface ServicePortModel {
  name: string;
  port: number;
  targetPort: string;
  appProtocol?: string;
}

export interface K8sModel {
  spec: EdgeSpec;
  namespace: string;
  impl: Implementation;
  /** terminate: HTTPS listener with a certificate; passthrough: TLS listener + TLSRoute; off: HTTP only. */
  tls: 'terminate' | 'passthrough' | 'off';
  tlsSecret: string;
  /** The TypeScript gateway is deployed: for every HTTP route (in the topology) or for the routes with auth. */
  viaTsGateway: boolean;
  tsGatewayScope: 'all' | 'auth';
  routes: RouteModel[];
  /** Routes not exposed, and why (fail closed rather than skip auth). */
  skipped: { route: string; reason: string }[];
  servicePorts: Map<string, ServicePortModel[]>;
  /** TLSRoute upstream when tls = passthrough. */
  passthrough?: Upstream;
  labels(component: string): Record<string, string>;
}

const GRPC_PATH = /^\/([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?:\/([A-Za-z_][A-Za-z0-9_]*))?$/;

function servicePorts(svc: Service, needsGrpcPort: boolean): ServicePortModel[] {
  if (svc.protocol === 'grpc') return [{ name: 'grpc', port: svc.port, targetPort: 'grpc', appProtocol: 'kubernetes.io/h2c' }];
  const ports: ServicePortModel[] = [{ name: 'http', port: svc.port, targetPort: 'http' }];
  // Same container port, but the implementation talks HTTP/2 cleartext to it (GEP-1911 appProtocol).
  if (needsGrpcPort) ports.push({ name: 'grpc', port: svc.port === GRPC_PORT ? GRPC_PORT + 1 : GRPC_PORT, targetPort: 'http', appProtocol: 'kubernetes.io/h2c' });
  return ports;
}

export function buildModel(spec: EdgeSpec): K8sModel {
  const namespace = spec.name;
  // Auth is only ever enforced by the TypeScript gateway (the schema requires the gateway target for
  // it), so a route with auth goes through the gateway even when the topology does not list it.
  const inTopology = spec.topology.components.includes('ts-gateway');
  const viaTsGateway = inTopology || spec.routes.some((r) => r.auth !== 'none');
  const tls = spec.tls.local === 'off' ? 'off' : spec.tls.mode === 'passthrough' ? 'passthrough' : 'terminate';
  const byName = new Map(spec.services.map((s) => [s.name, s]));
  if (viaTsGateway && byName.has(TS_GATEWAY_NAME)) {
    throw new EwError('EW_INVALID_SPEC', `service name "${TS_GATEWAY_NAME}" is reserved for the TypeScript gateway's Deployment in the Kubernetes target; rename the service`);
  }
  const gatewayUpstream: Upstream = { service: TS_GATEWAY_NAME, port: spec.gateway.port, health: { type: 'TCP' }, viaTsGateway: true };
  const grpcTargets = new Set<string>();
  const routes: RouteModel[] = [];
  const skipped: K8sModel['skipped'] = [];

  for (const r of spec.routes) {
    const svc = byName.get(r.service);
    if (!svc) throw new EwError('EW_INVALID_SPEC', `route ${r.name}: unknown service ${r.service}`);
    const notes: string[] = [];
    const m = r.grpc ? GRPC_PATH.exec(r.path) : null;
    const grpcOverHttp = r.grpc && !m;
    if (grpcOverHttp) notes.push(`${r.path} is not a gRPC service path (/package.Service[/Method]); routed as an HTTPRoute to the service's HTTP/2 (h2c) port instead of a GRPCRoute.`);
    let upstream: Upstream;
    if (r.grpc) {
      if (r.auth !== 'none') {
        skipped.push({ route: r.name, reason: `gRPC with auth ${r.auth}: the TypeScript gateway enforces auth but does not proxy gRPC (no end-to-end HTTP/2), and the edge never enforces auth itself; not exposed (fail closed)` });
        continue;
      }
      if (inTopology) notes.push('gRPC bypasses the TypeScript gateway (it does not proxy HTTP/2): no per-client limits or quotas on this route.');
      if (svc.protocol !== 'grpc') grpcTargets.add(svc.name);
      const port = svc.protocol === 'grpc' ? svc.port : svc.port === GRPC_PORT ? GRPC_PORT + 1 : GRPC_PORT;
      upstream = { service: svc.name, port, health: { type: 'TCP' }, viaTsGateway: false };
    } else if (inTopology || r.auth !== 'none') {
      if (!inTopology) notes.push(`Sent through the TypeScript gateway because auth ${r.auth} is enforced there (the topology does not list ts-gateway).`);
      upstream = gatewayUpstream;
    } else {
      upstream = { service: svc.name, port: svc.port, health: svc.protocol === 'grpc' ? { type: 'TCP' } : { type: 'HTTP', path: svc.health }, viaTsGateway: false };
    }
    const kind = r.grpc && m ? 'GRPCRoute' : 'HTTPRoute';
    const sections: RouteModel['sections'] = tls === 'terminate' ? ['https'] : ['http'];
    const plainHttp = tls === 'terminate' && !spec.tls.redirectHttp;
    // gRPC clients ignore HSTS, so a GRPCRoute attaches to both listeners; HTTPRoutes get a twin
    // on the plain listener without Strict-Transport-Security (RFC 6797 §7.2: only over TLS).
    if (plainHttp && kind === 'GRPCRoute') sections.push('http');
    routes.push({
      route: r,
      kind,
      ...(m ? { grpc: { service: m[1]!, ...(m[2] ? { method: m[2] } : {}) } } : {}),
      upstream,
      name: r.name,
      sections,
      ...(plainHttp && kind === 'HTTPRoute' ? { plainTwin: `${r.name}-http` } : {}),
      notes,
    });
  }

  const taken = new Map<string, string>();
  const claim = (name: string, who: string): void => {
    const other = taken.get(name);
    if (other) throw new EwError('EW_INVALID_SPEC', `Kubernetes object name ${name} used by both ${other} and ${who}; rename a route`);
    taken.set(name, who);
  };
  for (const rm of routes) {
    if (rm.kind === 'HTTPRoute') claim(rm.name, `route ${rm.route.name}`);
    if (rm.plainTwin) claim(rm.plainTwin, `route ${rm.route.name} (plain HTTP listener)`);
  }
  if (tls !== 'off' && spec.tls.redirectHttp) claim('https-redirect', 'the HTTP to HTTPS redirect');
  if (tls === 'passthrough') claim('tls-passthrough', 'the TLS passthrough route');

  const ports = new Map(spec.services.map((s) => [s.name, servicePorts(s, grpcTargets.has(s.name))]));
  const first = routes.find((r) => r.kind === 'HTTPRoute') ?? routes[0];
  const labels = (component: string): Record<string, string> => ({
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/part-of': spec.name,
    'app.kubernetes.io/managed-by': 'edgewise',
  });
  return {
    spec,
    namespace,
    impl: implementationFor(spec),
    tls,
    tlsSecret: `${spec.name}-tls`,
    viaTsGateway,
    tsGatewayScope: inTopology ? 'all' : 'auth',
    routes,
    skipped,
    servicePorts: ports,
    ...(tls === 'passthrough' && first ? { passthrough: { ...first.upstream, health: { type: 'TCP' as const } } } : {}),
    labels,
  };
}
