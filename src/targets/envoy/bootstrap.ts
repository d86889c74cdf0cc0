// envoy.yaml — an Envoy v3 static bootstrap: admin on loopback, overload protection, listeners,
// clusters. Only fields of the v3 API as of Envoy 1.31 (what edgewise validates against).
import type { EdgeSpec } from '../../spec/schema.js';
import { Notes } from '../yaml-doc.js';
import { clusters } from './clusters.js';
import { listener } from './listeners.js';

type Obj = Record<string, unknown>;

export const RUN_DIR = '.run/envoy';
/** Istio's Envoy admin port; Envoy's own default, 9901, is the TypeScript gateway's admin port too. */
const ADMIN_FIRST_PORT = 15000;

/** The admin port: 15000, or the next one no listener, gateway replica or service instance uses. */
export function adminPort(spec: EdgeSpec): number {
  const used = new Set<number>([spec.listen.httpPort, spec.listen.httpsPort]);
  for (let i = 0; i < spec.gateway.replicas; i++) used.add(spec.gateway.port + i);
  for (const s of spec.services) for (let i = 0; i < s.instances; i++) used.add(s.port + i);
  let p = ADMIN_FIRST_PORT;
  while (used.has(p)) p++;
  return p;
}

export function bootstrap(spec: EdgeSpec): { value: Obj; notes: Notes } {
  const notes = new Notes();
  const tls = spec.tls.local === 'self-signed';
  const listeners = [listener(spec, false, notes, ['static_resources', 'listeners', 0])];
  if (tls) listeners.push(listener(spec, true, notes, ['static_resources', 'listeners', 1]));
  const value: Obj = {
    admin: {
      address: { socket_address: { address: '127.0.0.1', port_value: adminPort(spec) } },
      profile_path: `${RUN_DIR}/envoy.prof`,
    },
    overload_manager: {
      refresh_interval: '0.25s',
      resource_monitors: [
        { name: 'envoy.resource_monitors.fixed_heap', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig', max_heap_size_bytes: 1073741824 } },
        {
          name: 'envoy.resource_monitors.global_downstream_max_connections',
          typed_config: { '@type': 'type.googleapis.com/envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig', max_active_downstream_connections: 10000 },
        },
      ],
      actions: [
        { name: 'envoy.overload_actions.shrink_heap', triggers: [{ name: 'envoy.resource_monitors.fixed_heap', threshold: { value: 0.95 } }] },
        { name: 'envoy.overload_actions.stop_accepting_requests', triggers: [{ name: 'envoy.resource_monitors.fixed_heap', threshold: { value: 0.98 } }] },
      ],
    },
    static_resources: { listeners, clusters: clusters(spec, notes, ['static_resources', 'clusters']) },
  };
  notes.add([], 'Envoy v3 static bootstrap (API of Envoy 1.31). Run from the project root:', `  envoy -c proxy/envoy/envoy.yaml --disable-hot-restart   (check only: --mode validate)`);
  notes.add(['admin'], 'Admin interface on loopback only: it can drain listeners and dump config, and has no authentication.', `Profiler output stays under ${RUN_DIR}/.`);
  notes.add(['overload_manager'], 'Overload protection (edge guidance): shed work near the 1 GiB heap cap, at most 10000 downstream connections.', 'Size both to the machine.');
  notes.add(['static_resources', 'listeners'], `Plain HTTP on ${spec.listen.host}:${spec.listen.httpPort}${tls ? `, TLS on ${spec.listen.host}:${spec.listen.httpsPort}` : ''}.`);
  return { value, notes };
}
