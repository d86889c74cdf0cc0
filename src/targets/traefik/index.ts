// The Traefik v3 target: proxy/traefik/traefik.yml (static) + proxy/traefik/dynamic.yml (file provider).
import type { PlannedFile } from '../../io/writer.js';
import type { EdgeSpec } from '../../spec/schema.js';
import { provenance } from '../render.js';
import type { PlanContext, ProxyTarget } from '../types.js';
import { dynamicConfig } from './dynamic-config.js';
import { staticConfig } from './static-config.js';
import { toYaml } from '../yaml-doc.js';

export const TRAEFIK_STATIC = 'proxy/traefik/traefik.yml';
export const TRAEFIK_DYNAMIC = 'proxy/traefik/dynamic.yml';
export const TRAEFIK_TMP = '.run/traefik/tmp';

export function planTraefik(spec: EdgeSpec, ctx: PlanContext): PlannedFile[] {
  const header = provenance(ctx, '#');
  const st = staticConfig(spec);
  const dyn = dynamicConfig(spec);
  return [
    { path: TRAEFIK_STATIC, contents: toYaml(st.value, st.notes.list, header), target: 'traefik' },
    { path: TRAEFIK_DYNAMIC, contents: toYaml(dyn.value, dyn.notes.list, header), target: 'traefik' },
  ];
}

export const traefikTarget: ProxyTarget = {
  id: 'traefik',
  capabilities: { activeHealthChecks: true, rateLimit: true, cache: false, websocket: true, grpc: true, stickySessions: true },
  plan: planTraefik,
  local: {
    bin: 'traefik',
    // Traefik has no config-check mode: this only proves the binary runs. The configs are checked
    // against Traefik's JSON schemas in edgewise's tests.
    validate: () => ['version'],
    run: () => [`--configFile=${TRAEFIK_STATIC}`],
    dirs: ['.run/traefik', TRAEFIK_TMP],
    // The buffering middleware spills large bodies to $TMPDIR: keep them under the run directory.
    env: { TMPDIR: TRAEFIK_TMP },
  },
};
