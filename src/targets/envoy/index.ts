// The Envoy target: proxy/envoy/envoy.yaml, a static v3 bootstrap.
import type { PlannedFile } from '../../io/writer.js';
import type { EdgeSpec } from '../../spec/schema.js';
import { provenance } from '../render.js';
import { toYaml } from '../yaml-doc.js';
import type { PlanContext, ProxyTarget } from '../types.js';
import { bootstrap, RUN_DIR } from './bootstrap.js';

export const ENVOY_CONFIG = 'proxy/envoy/envoy.yaml';

export function planEnvoy(spec: EdgeSpec, ctx: PlanContext): PlannedFile[] {
  const b = bootstrap(spec);
  return [{ path: ENVOY_CONFIG, contents: toYaml(b.value, b.notes.list, provenance(ctx, '#')), target: 'envoy' }];
}

export const envoyTarget: ProxyTarget = {
  id: 'envoy',
  // Active health checks, local rate limits, WebSocket and gRPC are in the standard build;
  // no production-ready response cache; session affinity would need a ring-hash/cookie policy.
  capabilities: { activeHealthChecks: true, rateLimit: true, cache: false, websocket: true, grpc: true, stickySessions: true },
  plan: planEnvoy,
  local: {
    bin: 'envoy',
    validate: () => ['--mode', 'validate', '-c', ENVOY_CONFIG],
    // No hot restart: no shared memory outside the run directory, several Envoys can run side by side.
    run: () => ['-c', ENVOY_CONFIG, '--disable-hot-restart', '--log-level', 'info'],
    dirs: [RUN_DIR],
  },
};
