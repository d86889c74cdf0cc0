// EdgeSpec → FilePlan: every target's files, in memory, sorted. Nothing touches the disk here.
import { EwError } from '../errors.js';
import type { PlannedFile } from '../io/writer.js';
import type { EdgeSpec } from '../spec/schema.js';
import { isProxyId, REGISTRY, type Registry } from '../targets/index.js';
import { planStarter } from '../targets/starter/index.js';
import type { PlanContext, ProxyTarget } from '../targets/types.js';

export async function planProject(spec: EdgeSpec, ctx: PlanContext, registry: Registry = REGISTRY): Promise<PlannedFile[]> {
  const proxies = spec.targets.filter(isProxyId).map((id) => {
    const p = registry.proxies[id];
    if (!p) throw new EwError('EW_USAGE', `targets: ${id} is not available in this version of edgewise`);
    return p;
  }) as ProxyTarget[];
  const files: PlannedFile[] = await planStarter(spec, ctx, proxies);
  for (const id of spec.targets) {
    const t = isProxyId(id) ? registry.proxies[id] : registry.targets[id];
    if (!t) throw new EwError('EW_USAGE', `targets: ${id} is not available in this version of edgewise`);
    for (const f of await t.plan(spec, ctx)) files.push({ ...f, target: f.target ?? id });
  }
  const seen = new Map<string, string>();
  for (const f of files) {
    const other = seen.get(f.path);
    if (other !== undefined) throw new EwError('EW_INTERNAL', `${f.path} planned by both ${other} and ${f.target}`);
    seen.set(f.path, f.target ?? '?');
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
