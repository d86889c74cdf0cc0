// Envoy clusters: one per upstream pool, STATIC endpoints (every instance), active health checks
// plus outlier detection (passive), explicit circuit breakers, HTTP/2 for gRPC pools.
// Reference: api/envoy/config/cluster/v3/cluster.proto
import type { EdgeSpec } from '../../spec/schema.js';
import { affinityCookie, edgePlan, seconds, unstickable, type Pool } from '../edge-plan.js';
import type { Notes, YamlPath } from '../yaml-doc.js';
import { BUFFER_LIMIT } from './listeners.js';

type Obj = Record<string, unknown>;

const TYPE_UPSTREAM_HTTP = 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

function cluster(spec: EdgeSpec, pool: Pool, notes: Notes, at: YamlPath): Obj {
  const healthCheck: Obj = {
    timeout: '2s',
    interval: '5s',
    no_traffic_interval: '5s',
    unhealthy_threshold: 3,
    healthy_threshold: 2,
    // HTTP/1.1 probe (also for h2c pools of HTTP services), grpc.health.v1 for gRPC services,
    // a connect check for the gateway (its /healthz is on a loopback admin port edge.yaml does not know).
    ...(pool.health.mode === 'http' ? { http_health_check: { path: pool.health.path } } : pool.health.mode === 'grpc' ? { grpc_health_check: {} } : { tcp_health_check: {} }),
  };
  const probe = pool.health.mode === 'http' ? `GET ${pool.health.path}` : pool.health.mode === 'grpc' ? '(gRPC health protocol)' : '(TCP connect: the gateway serves /healthz only on its loopback admin port, GATEWAY_ADMIN_PORT, which edge.yaml does not know)';
  notes.add(
    at,
    `${pool.kind === 'gateway' ? 'The TypeScript gateway replicas' : `Service ${pool.of}, every instance`}${pool.h2c ? ', over HTTP/2 cleartext (gRPC)' : ''}; ${pool.sticky ? `sticky (sticky: true): ring hash on the ${affinityCookie(pool)} cookie, which Envoy sets when missing` : 'round robin'}.`,
    `Active health check ${probe} every 5s (3 failures out, 2 successes back), plus outlier detection (passive: 5 consecutive 5xx eject an instance for 30s).`,
  );
  return {
    name: pool.name,
    type: 'STATIC',
    connect_timeout: seconds(spec.limits.connectTimeoutSeconds),
    lb_policy: pool.sticky ? 'RING_HASH' : 'ROUND_ROBIN',
    per_connection_buffer_limit_bytes: BUFFER_LIMIT,
    load_assignment: {
      cluster_name: pool.name,
      endpoints: [{ lb_endpoints: pool.endpoints.map((e) => ({ endpoint: { address: { socket_address: { address: e.host, port_value: e.port } } } })) }],
    },
    health_checks: [healthCheck],
    outlier_detection: { consecutive_5xx: 5, interval: '10s', base_ejection_time: '30s', max_ejection_percent: 50 },
    circuit_breakers: { thresholds: [{ priority: 'DEFAULT', max_connections: 1024, max_pending_requests: 1024, max_requests: 1024, max_retries: 3 }] },
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': TYPE_UPSTREAM_HTTP,
        // Below the upstream's keep-alive timeout (the sample services keep 75s), so Envoy never reuses a closing connection.
        common_http_protocol_options: { idle_timeout: '60s' },
        explicit_http_config: pool.h2c ? { http2_protocol_options: {} } : { http_protocol_options: {} },
      },
    },
  };
}

export function clusters(spec: EdgeSpec, notes: Notes, at: YamlPath): Obj[] {
  const plan = edgePlan(spec);
  const lost = unstickable(spec, plan);
  if (lost.length > 0) notes.add(at, `sticky: true of ${lost.join(', ')} is not applied here: their routes go through the TypeScript gateway, which has no session affinity.`);
  return plan.pools.map((p, i) => cluster(spec, p, notes, [...at, i]));
}
