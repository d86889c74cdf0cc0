// View-models for the starter's README and decision record: all logic here, templates only loop.
import type { EdgeSpec } from '../../spec/schema.js';
import type { PlanContext, ProxyTarget } from '../types.js';

const nodeId = (id: string): string => `n_${id.replace(/[^a-z0-9]/g, '_')}`;

export function mermaid(spec: EdgeSpec): string[] {
  const lines = ['flowchart LR'];
  const seen = new Set<string>();
  spec.topology.paths.forEach((p, i) => {
    const client = `c${i}`;
    lines.push(`  ${client}([${p.clients.join(' + ')} clients])`);
    let prev = client;
    for (const h of p.hops) {
      const id = nodeId(h);
      if (!seen.has(id)) {
        lines.push(`  ${id}[${h}]`);
        seen.add(id);
      }
      lines.push(`  ${prev} --> ${id}`);
      prev = id;
    }
  });
  for (const c of spec.topology.components) {
    if (!seen.has(nodeId(c))) lines.push(`  ${nodeId(c)}{{${c}}}`);
  }
  return lines;
}

const describeLimit = (r: EdgeSpec['routes'][number]): string =>
  r.rateLimit ? `${r.rateLimit.requests}/${r.rateLimit.windowSeconds}s per ${r.rateLimit.key}${r.rateLimit.burst ? ` (+${r.rateLimit.burst} burst)` : ''}` : '—';

const CAPABILITY_TEXT: Record<string, string> = {
  activeHealthChecks: 'active health checks (it detects dead instances only when requests fail)',
  rateLimit: 'rate limiting',
  cache: 'response caching',
  websocket: 'WebSocket proxying',
  grpc: 'gRPC proxying',
  stickySessions: 'cookie-based sticky sessions',
};

export function readmeModel(spec: EdgeSpec, ctx: PlanContext, proxies: readonly ProxyTarget[]) {
  const gateway = spec.targets.includes('gateway');
  const proxy = proxies.find((p) => p.id === spec.proxy) ?? proxies[0];
  const entry = proxy ? `http://127.0.0.1:${spec.listen.httpPort}` : gateway ? `http://127.0.0.1:${spec.gateway.port}` : undefined;
  return {
    name: spec.name,
    ctx,
    topologyId: spec.topology.id,
    summary: spec.decision?.summary ?? `Topology ${spec.topology.id}.`,
    mermaid: mermaid(spec),
    components: spec.topology.components.join(', '),
    entry,
    gateway,
    platform: spec.platform,
    lambda: spec.compute === 'lambda' && spec.platform === 'aws',
    k8s: spec.targets.includes('k8s'),
    tls: spec.tls,
    routes: spec.routes.map((r) => ({
      name: r.name,
      path: r.path,
      url: entry ? `${r.websocket ? entry.replace(/^http/, 'ws') : entry}${r.path}` : r.path,
      service: r.service,
      auth: r.auth,
      limit: describeLimit(r),
      cache: r.cacheTtlSeconds ? `${r.cacheTtlSeconds}s` : '—',
      kind: r.websocket ? 'WebSocket' : r.grpc ? 'gRPC' : 'HTTP',
    })),
    services: spec.services.map((s) => ({ name: s.name, ports: Array.from({ length: s.instances }, (_, i) => s.port + i).join(', '), health: s.health })),
    proxies: proxies.map((p) => ({
      id: p.id,
      bin: p.local.bin,
      validate: `${p.local.bin} ${p.local.validate(spec).join(' ')}`,
      missing: Object.entries(p.capabilities)
        .filter(([k, v]) => !v && k in CAPABILITY_TEXT)
        .map(([k]) => CAPABILITY_TEXT[k]!),
    })),
    reasons: spec.decision?.reasons ?? [],
    warnings: spec.decision?.warnings ?? [],
    monthly: spec.decision?.monthlyUsd === undefined ? undefined : spec.decision.monthlyUsd.toFixed(2),
    redis: spec.gateway.redis?.url,
  };
}

const lowerFirst = (t: string): string => t.charAt(0).toLowerCase() + t.slice(1);

export function adrModel(spec: EdgeSpec, ctx: PlanContext) {
  const d = spec.decision;
  const drivers = d ? Object.entries(d.answers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`) : [];
  return {
    ctx,
    name: spec.name,
    chosen: spec.topology.id,
    summary: d?.summary ?? `Topology ${spec.topology.id}.`,
    because: lowerFirst(d?.summary ?? `topology ${spec.topology.id}.`),
    components: spec.topology.components.join(', '),
    knowledgeVersion: d?.knowledgeVersion ?? ctx.knowledgeVersion,
    drivers,
    reasons: d?.reasons ?? [],
    warnings: (d?.warnings ?? []).map((w) => ({ rule: w.rule, because: lowerFirst(w.message) })),
    alternatives: (d?.alternatives ?? []).map((a) => ({ id: a.id, components: a.components.join(', '), rejectedBy: a.rejectedBy.join(', ') || 'scored lower' })),
    monthly: d?.monthlyUsd === undefined ? undefined : d.monthlyUsd.toFixed(2),
  };
}
