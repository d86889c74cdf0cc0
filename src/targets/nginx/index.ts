// The nginx target: proxy/nginx/ (nginx.conf, routes.conf, one file per route, shared snippets)
// for open-source nginx 1.22+, run unprivileged from the project root with state under .run/nginx/.
import type { PlannedFile } from '../../io/writer.js';
import type { EdgeSpec } from '../../spec/schema.js';
import { provenance, renderTemplate } from '../render.js';
import type { PlanContext, ProxyTarget } from '../types.js';
import { CONF_DIR, CONF_FILE, nginxViewModel, RUN_DIR } from './view-model.js';

const BASE_ARGS = ['-p', './', '-c', CONF_FILE, '-e', 'stderr'];

const SNIPPETS = ['server', 'security-headers', 'proxy-headers', 'grpc-headers'] as const;

async function plan(spec: EdgeSpec, ctx: PlanContext): Promise<PlannedFile[]> {
  const header = provenance(ctx, '#');
  const vm = nginxViewModel(spec, header);
  const file = (path: string, contents: string): PlannedFile => ({ path: `${CONF_DIR}/${path}`, contents, target: 'nginx' });
  const files: PlannedFile[] = [file('nginx.conf', await renderTemplate('nginx/nginx.conf.ejs', vm)), file('routes.conf', await renderTemplate('nginx/routes.conf.ejs', vm))];
  for (const s of SNIPPETS) {
    if (s === 'grpc-headers' && !vm.routes.some((r) => r.grpc)) continue;
    files.push(file(`snippets/${s}.conf`, await renderTemplate(`nginx/snippets/${s}.conf.ejs`, vm)));
  }
  for (const r of vm.routes) {
    files.push(file(r.file, await renderTemplate(r.grpc ? 'nginx/route-grpc.conf.ejs' : 'nginx/route-http.conf.ejs', { provenance: header, ...r })));
  }
  return files;
}

export const nginxTarget: ProxyTarget = {
  id: 'nginx',
  capabilities: {
    activeHealthChecks: false, // NGINX Plus only; passive max_fails/fail_timeout here
    rateLimit: true,
    cache: true,
    websocket: true,
    grpc: true, // on the TLS listener (HTTP/2)
    stickySessions: false, // no cookie affinity before 1.29.6; sticky services get client-address hashing
  },
  local: {
    bin: 'nginx',
    validate: () => ['-t', ...BASE_ARGS],
    run: () => [...BASE_ARGS, '-g', 'daemon off;'],
    // Started as root, nginx would switch its workers to `nobody`, who cannot write .run/nginx in a
    // root-owned project: for local development keep them as the invoking user.
    runAsRoot: () => [...BASE_ARGS, '-g', 'daemon off; user root;'],
    dirs: [RUN_DIR],
  },
  plan,
};
