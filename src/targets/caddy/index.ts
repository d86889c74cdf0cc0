// The Caddy target: proxy/caddy/Caddyfile (and the env file that keeps Caddy's state under
// .run/caddy). Standard build only: no rate limiting, no response cache, no TLS passthrough — the
// Caddyfile says so where the spec asks for them (see notes.ts and docs/targets/caddy.md).
import type { PlannedFile } from '../../io/writer.js';
import type { EdgeSpec } from '../../spec/schema.js';
import { provenance, renderTemplate } from '../render.js';
import type { PlanContext, ProxyTarget } from '../types.js';
import { caddyViewModel, DEFAULT_TUNING, RUN_DIR, type CaddyTuning } from './view-model.js';

export const CADDYFILE = 'proxy/caddy/Caddyfile';
export const CADDY_ENV_FILE = 'proxy/caddy/caddy.env';

/**
 * Environment for running Caddy from the project root. Caddy autosaves its config under
 * XDG_CONFIG_HOME and its data under XDG_DATA_HOME, and a library it links creates `$HOME/.step` at
 * start-up (before `--envfile` is read), so the caller must set HOME itself.
 */
export const CADDY_ENV: Readonly<Record<string, string>> = { HOME: RUN_DIR, XDG_CONFIG_HOME: RUN_DIR, XDG_DATA_HOME: RUN_DIR };

export async function renderCaddyfile(spec: EdgeSpec, ctx: PlanContext, tuning: CaddyTuning = DEFAULT_TUNING): Promise<string> {
  return renderTemplate('caddy/Caddyfile.ejs', caddyViewModel(spec, provenance(ctx, '#'), tuning));
}

export function renderEnvFile(ctx: PlanContext): string {
  const lines = Object.entries(CADDY_ENV).map(([k, v]) => `${k}=${v}`);
  return provenance(ctx, '#', ['Read by `caddy run --envfile`: keeps Caddy\'s autosaved config and data under .run/caddy.']) + lines.join('\n') + '\n';
}

export const caddyTarget: ProxyTarget = {
  id: 'caddy',
  capabilities: { activeHealthChecks: true, rateLimit: false, cache: false, websocket: true, grpc: true, stickySessions: true },
  async plan(spec: EdgeSpec, ctx: PlanContext): Promise<PlannedFile[]> {
    return [
      { path: CADDYFILE, contents: await renderCaddyfile(spec, ctx), target: 'caddy' },
      { path: CADDY_ENV_FILE, contents: renderEnvFile(ctx), target: 'caddy' },
    ];
  },
  local: {
    bin: 'caddy',
    validate: () => ['validate', '--config', CADDYFILE, '--adapter', 'caddyfile'],
    run: () => ['run', '--config', CADDYFILE, '--adapter', 'caddyfile', '--envfile', CADDY_ENV_FILE, '--pidfile', `${RUN_DIR}/caddy.pid`],
    dirs: [RUN_DIR],
    env: CADDY_ENV,
  },
};
