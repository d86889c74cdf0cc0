// The HAProxy target: proxy/haproxy/haproxy.cfg, checked and run with the real binary (HAProxy 2.6+).
import type { PlannedFile } from '../../io/writer.js';
import type { EdgeSpec } from '../../spec/schema.js';
import { provenance, renderTemplate } from '../render.js';
import type { PlanContext, ProxyTarget } from '../types.js';
import { CONFIG_PATH, DEFAULT_OPTIONS, type HaproxyOptions, RUN_DIR } from './options.js';
import { haproxyViewModel } from './view-model.js';

export { combinedPemPath } from './tls.js';
export { CONFIG_PATH, RUN_DIR, type HaproxyOptions } from './options.js';

/** The planned files; `opts` exists for tests (e.g. faster health checks). */
export async function planHaproxy(spec: EdgeSpec, ctx: PlanContext, opts: HaproxyOptions = DEFAULT_OPTIONS): Promise<PlannedFile[]> {
  const vm = haproxyViewModel(spec, opts);
  const body = await renderTemplate('haproxy/haproxy.cfg.ejs', vm);
  return [{ path: CONFIG_PATH, contents: provenance(ctx, '#') + body, target: 'haproxy' }];
}

export const haproxyTarget: ProxyTarget = {
  id: 'haproxy',
  capabilities: { activeHealthChecks: true, rateLimit: true, cache: true, websocket: true, grpc: true, stickySessions: true },
  plan: (spec, ctx) => planHaproxy(spec, ctx),
  local: {
    bin: 'haproxy',
    validate: () => ['-c', '-f', CONFIG_PATH],
    // Foreground (-db); the config turns on master-worker, which writes the pid file under .run/haproxy/.
    run: () => ['-db', '-f', CONFIG_PATH],
    dirs: [RUN_DIR],
  },
};
