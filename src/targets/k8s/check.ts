// Structural checks for what no shipped schema covers: Namespace, Deployment, Service,
// PodDisruptionBudget, the Kustomization, and references between objects (route → Service port,
// route → Gateway listener, selector → pod labels, policy → route). Returns problems; never throws.
import type { K8sObject } from './objects.js';

/** RFC 1123 label (Namespace, Service port names are stricter, see below). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1035 label: Service names must start with a letter. */
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: most object names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** IANA_SVC_NAME: container and Service port names. */
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isPort = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
const subset = (sel: Obj, labels: Obj): boolean => Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
const id = (o: K8sObject): string => `${o.kind}/${o.metadata?.name ?? '?'}`;

interface Pod {
  labels: Obj;
  ports: Map<string, number>;
}

function checkContainer(c: Obj, where: string, out: string[], pod: Pod): void {
  if (typeof c.name !== 'string' || !DNS_LABEL.test(c.name)) out.push(`${where}: container name must be a DNS label`);
  if (typeof c.image !== 'string' || c.image.length === 0) out.push(`${where}: container image is required`);
  for (const p of arr(c.ports)) {
    if (!isObj(p) || !isPort(p.containerPort)) out.push(`${where}: containerPort must be 1-65535`);
    else if (typeof p.name === 'string') {
      if (!PORT_NAME.test(p.name)) out.push(`${where}: port name ${p.name} is not an IANA service name`);
      if (pod.ports.has(p.name)) out.push(`${where}: duplicate port name ${p.name}`);
      pod.ports.set(p.name, p.containerPort as number);
    }
  }
  for (const probeKey of ['readinessProbe', 'livenessProbe']) {
    const probe = c[probeKey];
    if (!isObj(probe)) {
      out.push(`${where}: ${probeKey} is required`);
      continue;
    }
    const handler = (probe.httpGet ?? probe.tcpSocket ?? probe.grpc) as Obj | undefined;
    if (!isObj(handler)) out.push(`${where}: ${probeKey} needs httpGet, tcpSocket or grpc`);
    else if (typeof handler.port === 'string' ? !pod.ports.has(handler.port) : !isPort(handler.port)) out.push(`${where}: ${probeKey} port ${String(handler.port)} is not a container port`);
    if (isObj(probe.httpGet) && (typeof probe.httpGet.path !== 'string' || !probe.httpGet.path.startsWith('/'))) out.push(`${where}: ${probeKey} path must be absolute`);
  }
  const sc = c.securityContext;
  if (!isObj(sc) || sc.allowPrivilegeEscalation !== false || sc.readOnlyRootFilesystem !== true || sc.runAsNonRoot !== true) {
    out.push(`${where}: securityContext needs allowPrivilegeEscalation false, readOnlyRootFilesystem true, runAsNonRoot true`);
  } else if (!isObj(sc.capabilities) || !arr(sc.capabilities.drop).includes('ALL')) out.push(`${where}: securityContext must drop ALL capabilities`);
  const res = c.resources;
  if (!isObj(res) || !isObj(res.requests) || !isObj(res.limits) || res.limits.memory === undefined) out.push(`${where}: resources need requests and a memory limit`);
}

function checkDeployment(o: K8sObject, out: string[], pods: Map<string, Pod>): void {
  const w = id(o);
  const spec = o.spec;
  if (o.apiVersion !== 'apps/v1') out.push(`${w}: apiVersion must be apps/v1`);
  if (!isObj(spec)) return void out.push(`${w}: spec is required`);
  if (!Number.isInteger(spec.replicas) || (spec.replicas as number) < 0) out.push(`${w}: replicas must be a non-negative integer`);
  const sel = isObj(spec.selector) && isObj(spec.selector.matchLabels) ? spec.selector.matchLabels : undefined;
  const tpl = isObj(spec.template) ? spec.template : undefined;
  const labels = tpl && isObj(tpl.metadata) && isObj(tpl.metadata.labels) ? tpl.metadata.labels : {};
  if (!sel || !subset(sel, labels)) out.push(`${w}: selector.matchLabels must be non-empty and match the pod template labels`);
  const podSpec = tpl && isObj(tpl.spec) ? tpl.spec : undefined;
  const containers = podSpec ? arr(podSpec.containers) : [];
  if (containers.length === 0) out.push(`${w}: at least one container is required`);
  const psc = podSpec?.securityContext;
  if (!isObj(psc) || psc.runAsNonRoot !== true || !isObj(psc.seccompProfile) || psc.seccompProfile.type !== 'RuntimeDefault') out.push(`${w}: pod securityContext needs runAsNonRoot and seccompProfile RuntimeDefault`);
  const pod: Pod = { labels, ports: new Map() };
  containers.forEach((c, i) => (isObj(c) ? checkContainer(c, `${w} container ${i}`, out, pod) : out.push(`${w}: container ${i} is not an object`)));
  const volumes = new Set(arr(podSpec?.volumes).map((v) => (isObj(v) ? v.name : undefined)));
  for (const c of containers) for (const vm of isObj(c) ? arr(c.volumeMounts) : []) if (isObj(vm) && !volumes.has(vm.name)) out.push(`${w}: volumeMount ${String(vm.name)} has no volume`);
  pods.set(o.metadata.name, pod);
}

function checkService(o: K8sObject, out: string[], pods: Map<string, Pod>): Map<number, string> {
  const w = id(o);
  const ports = new Map<number, string>();
  const spec = o.spec;
  if (!DNS_1035.test(o.metadata.name) || o.metadata.name.length > 63) out.push(`${w}: Service names must be RFC 1035 labels`);
  if (!isObj(spec)) return (out.push(`${w}: spec is required`), ports);
  const list = arr(spec.ports);
  if (list.length === 0) out.push(`${w}: at least one port is required`);
  const selector = isObj(spec.selector) ? spec.selector : {};
  const matching = [...pods.values()].filter((p) => subset(selector, p.labels));
  if (matching.length === 0) out.push(`${w}: selector matches no Deployment's pods`);
  const names = new Set<string>();
  for (const p of list) {
    if (!isObj(p) || !isPort(p.port)) {
      out.push(`${w}: port must be 1-65535`);
      continue;
    }
    if (ports.has(p.port as number)) out.push(`${w}: duplicate port ${String(p.port)}`);
    if (list.length > 1 && typeof p.name !== 'string') out.push(`${w}: ports need names when there are several`);
    if (typeof p.name === 'string') {
      if (!PORT_NAME.test(p.name) || names.has(p.name)) out.push(`${w}: port name ${p.name} invalid or duplicate`);
      names.add(p.name);
    }
    if (typeof p.targetPort === 'string' ? !matching.every((pod) => pod.ports.has(p.targetPort as string)) : p.targetPort !== undefined && !isPort(p.targetPort)) {
      out.push(`${w}: targetPort ${String(p.targetPort)} is not a port of the selected pods`);
    }
    ports.set(p.port as number, String(p.name ?? ''));
  }
  return ports;
}

/** Checks the objects of one plan and the kustomization's resource list against the planned paths. */
export function checkManifests(objects: readonly K8sObject[], opts: { kustomization?: { resources: readonly string[]; files: readonly string[] } } = {}): string[] {
  const out: string[] = [];
  const pods = new Map<string, Pod>();
  const services = new Map<string, Map<number, string>>();
  const seen = new Set<string>();
  for (const o of objects) {
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || !isObj(o.metadata) || typeof o.metadata.name !== 'string') {
      out.push(`${id(o)}: apiVersion, kind and metadata.name are required`);
      continue;
    }
    if (!DNS_SUBDOMAIN.test(o.metadata.name) || o.metadata.name.length > 253) out.push(`${id(o)}: name is not a DNS subdomain`);
    if (o.kind !== 'Namespace' && o.kind !== 'Kustomization' && (typeof o.metadata.namespace !== 'string' || !DNS_LABEL.test(o.metadata.namespace))) out.push(`${id(o)}: metadata.namespace must be a DNS label`);
    const key = `${o.apiVersion.split('/')[0]}/${o.kind}/${o.metadata.name}`;
    if (seen.has(key)) out.push(`${id(o)}: defined twice`);
    seen.add(key);
  }
  for (const o of objects) {
    if (o.kind === 'Namespace' && (!DNS_LABEL.test(o.metadata.name) || o.metadata.name.length > 63)) out.push(`${id(o)}: Namespace names must be DNS labels`);
    if (o.kind === 'Deployment') checkDeployment(o, out, pods);
  }
  for (const o of objects) {
    if (o.kind === 'Service') services.set(o.metadata.name, checkService(o, out, pods));
    if (o.kind === 'PodDisruptionBudget') {
      const sel = isObj(o.spec) && isObj(o.spec.selector) && isObj(o.spec.selector.matchLabels) ? o.spec.selector.matchLabels : {};
      if (![...pods.values()].some((p) => subset(sel, p.labels))) out.push(`${id(o)}: selector matches no Deployment's pods`);
    }
  }
  const listeners = new Map<string, Set<string>>();
  for (const o of objects) if (o.kind === 'Gateway' && isObj(o.spec)) listeners.set(o.metadata.name, new Set(arr(o.spec.listeners).map((l) => (isObj(l) ? String(l.name) : ''))));
  const routes = new Set<string>();
  for (const o of objects) {
    if (!['HTTPRoute', 'GRPCRoute', 'TLSRoute'].includes(o.kind) || !isObj(o.spec)) continue;
    routes.add(`${o.kind}/${o.metadata.name}`);
    for (const ref of arr(o.spec.parentRefs)) {
      if (!isObj(ref)) continue;
      const l = listeners.get(String(ref.name));
      if (!l) out.push(`${id(o)}: parentRef ${String(ref.name)} is not a generated Gateway`);
      else if (ref.sectionName !== undefined && !l.has(String(ref.sectionName))) out.push(`${id(o)}: Gateway ${String(ref.name)} has no listener ${String(ref.sectionName)}`);
    }
    for (const rule of arr(o.spec.rules)) {
      for (const b of isObj(rule) ? arr(rule.backendRefs) : []) {
        if (!isObj(b)) continue;
        const ports = services.get(String(b.name));
        if (!ports) out.push(`${id(o)}: backendRef ${String(b.name)} is not a generated Service`);
        else if (!ports.has(b.port as number)) out.push(`${id(o)}: Service ${String(b.name)} has no port ${String(b.port)}`);
      }
    }
  }
  for (const o of objects) {
    if (!o.apiVersion.startsWith('gateway.envoyproxy.io/') || !isObj(o.spec)) continue;
    const refs = arr(o.spec.targetRefs);
    if (refs.length === 0) out.push(`${id(o)}: targetRefs is required`);
    for (const ref of refs) {
      if (!isObj(ref)) continue;
      const ok = ref.kind === 'Gateway' ? listeners.has(String(ref.name)) : routes.has(`${String(ref.kind)}/${String(ref.name)}`);
      if (!ok) out.push(`${id(o)}: targetRef ${String(ref.kind)}/${String(ref.name)} is not a generated object`);
    }
  }
  if (opts.kustomization) {
    const { resources, files } = opts.kustomization;
    for (const r of resources) if (!files.includes(r)) out.push(`Kustomization: resource ${r} is not a generated file`);
    for (const f of files) if (!resources.includes(f)) out.push(`Kustomization: ${f} is generated but not listed`);
  }
  return out;
}
