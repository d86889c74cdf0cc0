// EdgeSpec → the view-model of templates/haproxy/haproxy.cfg.ejs. Pure: every decision is made here.
import type { EdgeSpec } from '../../spec/schema.js';
import type { Block } from './block.js';
import { cacheBlocks } from './cache.js';
import { frontendBlock, noRouteBlock } from './frontend.js';
import { defaultsBlock, globalBlock, tlsEnabled } from './global.js';
import type { HaproxyOptions } from './options.js';
import { CONFIG_PATH, RUN_DIR } from './options.js';
import { poolBlock } from './pools.js';
import { rateLimitOf, rateTableBlock } from './rate-limit.js';
import { routeBlock } from './route-backend.js';
import { combinedPemPath } from './tls.js';
import { poolsOf } from './upstreams.js';

export interface HaproxyViewModel {
  /** Comment lines under the provenance header (with "# "). */
  intro: string[];
  global: Block;
  defaults: Block;
  frontend: Block;
  routes: Block[];
  pools: Block[];
  rateTables: Block[];
  caches: Block[];
  fallback: Block;
}

function intro(spec: EdgeSpec): string[] {
  const lines = [
    `HAProxy 2.6+ configuration of ${spec.name}: every route of edge.yaml, active health checks, rate limits,`,
    'caching, WebSockets and gRPC, with the limits and headers a public edge needs.',
    'Run it from the project root (relative paths are relative to it):',
    `  mkdir -p ${RUN_DIR} && haproxy -c -f ${CONFIG_PATH}     # check`,
    `  haproxy -db -f ${CONFIG_PATH}                          # run in the foreground; Ctrl-C stops it`,
  ];
  if (tlsEnabled(spec)) {
    lines.push(`HTTPS needs ${combinedPemPath(spec.tls.certFile)} (certificate then key): \`npm run dev\` creates it, or`);
    lines.push(`  cat ${spec.tls.certFile} ${spec.tls.keyFile} > ${combinedPemPath(spec.tls.certFile)}`);
  }
  lines.push(
    '',
    'Lines starting "NOT EXPRESSED" say what edge.yaml asks for that this file cannot do. Everywhere:',
    'NOT EXPRESSED: body limits are checked against the declared Content-Length; a chunked body without one',
    '  streams through uncounted (HAProxy 2.6 cannot cap it), so upstreams must enforce their own limit too.',
  );
  return lines.map((l) => `# ${l}`.trimEnd());
}

export function haproxyViewModel(spec: EdgeSpec, opts: HaproxyOptions): HaproxyViewModel {
  const rateTables = spec.routes.flatMap((r) => {
    const { plan } = rateLimitOf(spec, r);
    return plan ? [rateTableBlock(plan, r)] : [];
  });
  return {
    intro: intro(spec),
    global: globalBlock(spec),
    defaults: defaultsBlock(spec, opts),
    frontend: frontendBlock(spec),
    routes: spec.routes.map((r) => routeBlock(spec, r)),
    pools: poolsOf(spec).map((u) => poolBlock(spec, u, opts)),
    rateTables,
    caches: cacheBlocks(spec),
    fallback: noRouteBlock(),
  };
}
