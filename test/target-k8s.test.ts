// The Kubernetes target: golden files, Gateway API validation against the v1.6.1 CRDs (ajv + CEL),
// structural checks of the core objects, properties of the rendered text, and `kubectl kustomize`
// when kubectl is on PATH.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { EwError } from '../src/errors.js';
import { writePlan } from '../src/io/writer.js';
import { specSchema, type EdgeSpec } from '../src/spec/schema.js';
import { checkManifests, k8sTarget, manifestsOf } from '../src/targets/k8s/index.js';
import { duration } from '../src/targets/k8s/duration.js';
import { MOZILLA_INTERMEDIATE_CIPHERS, rateLimitValue } from '../src/targets/k8s/envoy-gateway.js';
import type { K8sObject } from '../src/targets/k8s/objects.js';
import { GATEWAY_API_DIR, loadGatewayApiValidator } from './support/gateway-api-validate.js';
import { expectGolden } from './support/golden.js';
import { CTX, SCENARIOS, scenarioSpec } from './support/specs.js';

const validator = loadGatewayApiValidator();
const names = Object.keys(SCENARIOS);
const specFor = (name: string): EdgeSpec => scenarioSpec(name, ['k8s']);
const variant = (name: string, tweak: (s: EdgeSpec) => void): EdgeSpec => {
  const s = structuredClone(specFor(name));
  tweak(s);
  return specSchema.parse(s);
};
const objectsOf = (spec: EdgeSpec): K8sObject[] => manifestsOf(spec).flatMap((f) => f.docs.map((d) => d.object));
const ofKind = (objs: K8sObject[], kind: string): K8sObject[] => objs.filter((o) => o.kind === kind);
const named = (objs: K8sObject[], kind: string, name: string): K8sObject => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name}`);
  return o;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const gatewayApiDocs = (objs: K8sObject[]): K8sObject[] => objs.filter((o) => o.apiVersion.startsWith('gateway.networking.k8s.io/'));
const plannedText = async (spec: EdgeSpec): Promise<Map<string, string>> => new Map((await k8sTarget.plan(spec, CTX)).map((f) => [f.path, f.contents]));

describe('k8s golden files', () => {
  it.each(names)('%s', async (name) => {
    expectGolden(name, await k8sTarget.plan(specFor(name), CTX), 'k8s/');
  });
});

describe('Gateway API validation (CRDs v1.6.1: ajv + CEL)', () => {
  it('reads the CRDs from shared/ and knows the standard kinds', () => {
    expect(GATEWAY_API_DIR).toMatch(/shared[\\/]schemas[\\/]gateway-api[\\/]$/);
    for (const k of ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute']) expect(validator.kinds).toContain(`gateway.networking.k8s.io/v1/${k}`);
  });

  it('passes the upstream examples that use the copied CRDs', () => {
    const dir = join(GATEWAY_API_DIR, 'examples');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files).toHaveLength(15);
    let docs = 0;
    let runs = 0;
    for (const f of files) {
      for (const d of parseAllDocuments(readFileSync(join(dir, f), 'utf8'))) {
        const r = validator.validate(d.toJS());
        expect(r.findings, `${f} ${r.gvk}`).toEqual([]);
        docs++;
        runs += r.celRuns;
      }
    }
    expect(docs).toBe(21);
    expect(runs).toBeGreaterThan(300);
  });

  it.each(names)('%s: every generated Gateway API document passes', (name) => {
    const docs = gatewayApiDocs(objectsOf(specFor(name)));
    expect(docs.length).toBeGreaterThan(2);
    let runs = 0;
    for (const d of docs) {
      const r = validator.validate(d);
      expect(r.findings, `${d.kind}/${d.metadata.name}`).toEqual([]);
      runs += r.celRuns;
    }
    expect(runs).toBeGreaterThan(0);
  });

  const base = (): K8sObject[] => objectsOf(specFor('kubernetes'));

  it('ajv catches a listener port of 80000', () => {
    const gw = structuredClone(named(base(), 'Gateway', 'edge')) as Any;
    gw.spec.listeners[0].port = 80000;
    expect(validator.validate(gw).findings).toContainEqual(expect.objectContaining({ source: 'ajv', path: '/spec/listeners/0/port' }));
  });

  it('ajv catches an unknown field', () => {
    const gw = structuredClone(named(base(), 'Gateway', 'edge')) as Any;
    gw.spec.listeners[0].hostnme = 'localhost';
    const route = structuredClone(named(base(), 'HTTPRoute', 'users')) as Any;
    route.spec.rules[0].timeout = { request: '1s' };
    expect(validator.validate(gw).findings).toContainEqual(expect.objectContaining({ source: 'ajv', message: expect.stringContaining('hostnme') }));
    expect(validator.validate(route).findings).toContainEqual(expect.objectContaining({ source: 'ajv', message: expect.stringContaining('timeout') }));
  });

  it('ajv catches a bad object name and a string port', () => {
    const route = structuredClone(named(base(), 'HTTPRoute', 'users')) as Any;
    route.metadata.name = 'Bad_Name';
    route.spec.rules[0].backendRefs[0].port = '9101';
    const paths = validator.validate(route).findings.map((f) => f.path);
    expect(paths).toContain('/metadata/name');
    expect(paths).toContain('/spec/rules/0/backendRefs/0/port');
  });

  it('only CEL catches URLRewrite without urlRewrite', () => {
    const route = structuredClone(named(base(), 'HTTPRoute', 'users')) as Any;
    expect(route.spec.rules[0].filters[0].type).toBe('URLRewrite');
    delete route.spec.rules[0].filters[0].urlRewrite;
    const f = validator.validate(route).findings;
    expect(f.filter((x) => x.source === 'ajv')).toEqual([]);
    expect(f).toContainEqual(expect.objectContaining({ source: 'cel', message: 'filter.urlRewrite must be specified for URLRewrite filter.type' }));
  });

  it("only CEL catches the path api//x", () => {
    const route = structuredClone(named(base(), 'HTTPRoute', 'users')) as Any;
    route.spec.rules[0].matches[0].path.value = 'api//x';
    const f = validator.validate(route).findings;
    expect(f.filter((x) => x.source === 'ajv')).toEqual([]);
    expect(f.filter((x) => x.source === 'cel').map((x) => x.message).join('\n')).toMatch(/must not contain '\/\/'/);
  });

  it('catches duplicate list-map keys (two listeners named http)', () => {
    const gw = structuredClone(named(base(), 'Gateway', 'edge')) as Any;
    gw.spec.listeners[1].name = 'http';
    expect(validator.validate(gw).findings.map((f) => f.source)).toContain('list');
  });
});

describe('structural checks of the core objects', () => {
  it.each(names)('%s: Namespace, Deployments, Services, references and kustomization are consistent', (name) => {
    const files = manifestsOf(specFor(name));
    const kust = files.find((f) => f.path === 'k8s/kustomization.yaml')!;
    const rest = files.filter((f) => f !== kust);
    const problems = checkManifests(rest.flatMap((f) => f.docs.map((d) => d.object)), {
      kustomization: { resources: kust.docs[0]!.object.resources as string[], files: rest.map((f) => f.path.slice('k8s/'.length)) },
    });
    expect(problems).toEqual([]);
  });

  const injected: [string, (objs: Any[]) => void, RegExp][] = [
    ['targetPort not on the pod', (o) => (o.find((x) => x.kind === 'Service').spec.ports[0].targetPort = 'web'), /targetPort web/],
    ['Service port 0', (o) => (o.find((x) => x.kind === 'Service').spec.ports[0].port = 0), /port must be 1-65535/],
    ['containerPort 70000', (o) => (o.find((x) => x.kind === 'Deployment').spec.template.spec.containers[0].ports[0].containerPort = 70000), /containerPort must be 1-65535/],
    ['selector matching no pod', (o) => (o.find((x) => x.kind === 'Deployment').spec.selector.matchLabels = { app: 'other' }), /selector/],
    ['writable root filesystem', (o) => (o.find((x) => x.kind === 'Deployment').spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false), /readOnlyRootFilesystem/],
    ['privilege escalation', (o) => delete o.find((x) => x.kind === 'Deployment').spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, /allowPrivilegeEscalation/],
    ['probe on an unknown port', (o) => (o.find((x) => x.kind === 'Deployment').spec.template.spec.containers[0].readinessProbe.httpGet.port = 'admin'), /readinessProbe port admin/],
    ['route to a missing Service port', (o) => (o.find((x) => x.kind === 'HTTPRoute').spec.rules[0].backendRefs[0].port = 1234), /has no port 1234/],
    ['route to a missing listener', (o) => (o.find((x) => x.kind === 'HTTPRoute').spec.parentRefs[0].sectionName = 'admin'), /no listener admin/],
    ['policy aimed at a missing route', (o) => (o.find((x) => x.kind === 'BackendTrafficPolicy').spec.targetRefs[0].name = 'nope'), /targetRef HTTPRoute\/nope/],
    ['bad namespace name', (o) => (o.find((x) => x.kind === 'Namespace').metadata.name = 'Not_A_Label'), /DNS label|DNS subdomain/],
  ];
  it.each(injected)('catches %s', (_label, mutate, pattern) => {
    const objs = structuredClone(objectsOf(specFor('kubernetes'))) as Any[];
    mutate(objs);
    expect(checkManifests(objs).join('\n')).toMatch(pattern);
  });

  it('catches a kustomization that misses a file', () => {
    const problems = checkManifests([], { kustomization: { resources: ['a.yaml'], files: ['a.yaml', 'b.yaml'] } });
    expect(problems.join('\n')).toMatch(/b\.yaml is generated but not listed/);
  });
});

describe('rendered manifests', () => {
  it.each(names)('%s: every route, service and instance appears', async (name) => {
    const spec = specFor(name);
    const files = await plannedText(spec);
    const objs = objectsOf(spec);
    const kust = files.get('k8s/kustomization.yaml')!;
    for (const r of spec.routes) {
      const exposed = objs.some((o) => (o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute') && o.metadata.name === r.name);
      expect(exposed || kust.includes(`Route ${r.name} is NOT exposed`), r.name).toBe(true);
      if (exposed) expect(files.get(`k8s/routes/${r.name}.yaml`)).toContain(r.path.slice(1));
      // Auth is the TypeScript gateway's: a route with auth never reaches a Service directly.
      if (exposed && r.auth !== 'none') {
        const route = objs.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === r.name) as Any;
        expect(route?.spec.rules.every((rule: Any) => rule.backendRefs.every((b: Any) => b.name === 'edge-gateway')), r.name).toBe(true);
      }
    }
    for (const svc of spec.services) {
      const d = named(objs, 'Deployment', svc.name) as Any;
      expect(d.spec.replicas).toBe(svc.instances);
      expect(d.spec.template.spec.containers[0].ports[0].containerPort).toBe(svc.port);
      expect(d.spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe(svc.health);
      expect((named(objs, 'Service', svc.name) as Any).spec.ports[0].port).toBe(svc.port);
    }
    for (const [path, text] of files) {
      expect(text.startsWith('# Generated by edgewise'), path).toBe(true);
      expect(text, path).not.toMatch(/^\s*[\w-]+: [&*]a\d+/m); // no YAML anchors or aliases
      expect(text, path).not.toMatch(/\/work\/|\/tmp\/|\/home\/|\d{4}-\d\d-\d\dT/); // no absolute paths or timestamps
      expect(() => parseAllDocuments(text).map((d) => d.toJS())).not.toThrow();
    }
  });

  it('is deterministic', async () => {
    const a = await k8sTarget.plan(specFor('self-hosted-full'), CTX);
    const b = await k8sTarget.plan(specFor('self-hosted-full'), CTX);
    expect(a).toEqual(b);
  });

  it('every HTTPRoute sets the security headers; HSTS only on the TLS listener', () => {
    const routes = ofKind(objectsOf(specFor('kubernetes')), 'HTTPRoute') as Any[];
    expect(routes.length).toBeGreaterThan(0);
    for (const r of routes) {
      const mod = r.spec.rules[0].filters.find((f: Any) => f.type === 'ResponseHeaderModifier').responseHeaderModifier.set;
      const h = Object.fromEntries(mod.map((x: Any) => [x.name, x.value]));
      expect(h).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' });
      const tls = r.spec.parentRefs.every((p: Any) => p.sectionName === 'https');
      expect(h['Strict-Transport-Security'], r.metadata.name).toBe(tls ? 'max-age=63072000' : undefined);
    }
  });

  it('strips the prefix with URLRewrite, times out per route, and backs each route with its Service', () => {
    const spec = specFor('kubernetes');
    const objs = objectsOf(spec);
    for (const route of spec.routes.filter((r) => !r.grpc)) {
      const r = named(objs, 'HTTPRoute', route.name) as Any;
      expect(r.spec.rules[0].matches[0].path).toEqual({ type: 'PathPrefix', value: route.path });
      expect(r.spec.rules[0].filters[0]).toEqual({ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } });
      expect(r.spec.rules[0].timeouts).toEqual({ request: duration(route.timeoutSeconds) });
      expect(r.spec.rules[0].backendRefs[0]).toMatchObject({ kind: 'Service', name: route.service, port: spec.services.find((s) => s.name === route.service)!.port });
    }
  });

  it('routes gRPC with a GRPCRoute to an h2c Service port', () => {
    const objs = objectsOf(specFor('kubernetes'));
    const g = named(objs, 'GRPCRoute', 'grpc') as Any;
    expect(g.spec.rules[0].matches[0].method).toEqual({ type: 'Exact', service: 'sample.v1.Greeter' });
    const port = (named(objs, 'Service', 'users') as Any).spec.ports.find((p: Any) => p.port === g.spec.rules[0].backendRefs[0].port);
    expect(port.appProtocol).toBe('kubernetes.io/h2c');
  });

  it('hardens every pod (restricted Pod Security) and labels the namespace to enforce it', () => {
    const objs = objectsOf(specFor('self-hosted-full'));
    expect((ofKind(objs, 'Namespace')[0] as Any).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const d of ofKind(objs, 'Deployment') as Any[]) {
      const pod = d.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
        expect(c.resources.limits.memory).toBeDefined();
        expect(c.image).toMatch(/^self-hosted-full\/[a-z-]+:dev$/);
      }
    }
  });
});

describe('Envoy Gateway policies', () => {
  const policies = (spec: EdgeSpec): Any[] => objectsOf(spec).filter((o) => o.apiVersion === 'gateway.envoyproxy.io/v1alpha1');

  it('Mozilla intermediate TLS, client timeouts and header hygiene on the Gateway', () => {
    const spec = specFor('kubernetes');
    const ctp = policies(spec).find((p) => p.kind === 'ClientTrafficPolicy');
    expect(ctp.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' }]);
    expect(ctp.spec.tls).toEqual({ minVersion: '1.2', maxVersion: '1.3', ciphers: [...MOZILLA_INTERMEDIATE_CIPHERS], ecdhCurves: ['X25519', 'P-256', 'P-384'] });
    expect(MOZILLA_INTERMEDIATE_CIPHERS.every((c) => c.startsWith('ECDHE-') && /GCM|CHACHA20/.test(c))).toBe(true);
    expect(ctp.spec.headers.withUnderscoresAction).toBe('RejectRequest');
    expect(ctp.spec.timeout.http).toEqual({ requestReceivedTimeout: duration(spec.limits.clientHeaderTimeoutSeconds + spec.limits.clientBodyTimeoutSeconds), idleTimeout: duration(spec.limits.idleTimeoutSeconds) });
    expect(ctp.spec.clientIPDetection).toBeUndefined(); // no trusted proxies: the socket peer
  });

  it('one BackendTrafficPolicy per route: round robin, active + passive health checks, connect timeout, rate limit', () => {
    const spec = specFor('kubernetes');
    const btps = policies(spec).filter((p) => p.kind === 'BackendTrafficPolicy');
    expect(btps.map((b) => b.metadata.name).sort()).toEqual(spec.routes.map((r) => r.name).sort());
    const users = btps.find((b) => b.metadata.name === 'users');
    expect(users.spec.targetRefs.map((t: Any) => t.name)).toEqual(['users', 'users-http']);
    expect(users.spec.loadBalancer).toEqual({ type: 'RoundRobin' });
    expect(users.spec.healthCheck.active).toMatchObject({ type: 'HTTP', http: { path: '/healthz' } });
    expect(users.spec.healthCheck.passive.consecutive5XxErrors).toBe(5);
    expect(users.spec.timeout.tcp.connectTimeout).toBe('5s');
    expect(users.spec.rateLimit).toEqual({ type: 'Local', local: { rules: [{ limit: { requests: 100, unit: 'Second' } }] } });
  });

  it('keys per-IP limits on the resolved client address, never a header', () => {
    const spec = variant('kubernetes', (s) => {
      for (const r of s.routes) if (r.rateLimit) r.rateLimit = { requests: 30, windowSeconds: 60, key: 'ip', burst: 0 };
      s.trustedProxies = ['10.0.0.0/8', '192.0.2.1'];
    });
    const ps = policies(spec);
    const rl = ps.find((p) => p.metadata.name === 'users').spec.rateLimit;
    expect(rl.type).toBe('Global');
    expect(rl.global.rules.map((r: Any) => r.clientSelectors)).toEqual([[{ sourceCIDR: { type: 'Distinct', value: '0.0.0.0/0' } }], [{ sourceCIDR: { type: 'Distinct', value: '::/0' } }]]);
    expect(rl.global.rules[0].limit).toEqual({ requests: 30, unit: 'Minute' });
    expect(JSON.stringify(rl)).not.toMatch(/headers/i);
    expect(ps.find((p) => p.kind === 'ClientTrafficPolicy').spec.clientIPDetection).toEqual({ xForwardedFor: { trustedCIDRs: ['10.0.0.0/8', '192.0.2.1/32'] } });
  });

  it('scales windows Envoy Gateway cannot express to the next unit', () => {
    expect(rateLimitValue(10, 1)).toEqual({ requests: 10, unit: 'Second', exact: true });
    expect(rateLimitValue(10, 30)).toEqual({ requests: 20, unit: 'Minute', exact: false });
    expect(rateLimitValue(1, 7200)).toEqual({ requests: 12, unit: 'Day', exact: false });
    expect(rateLimitValue(5, 86_400)).toEqual({ requests: 5, unit: 'Day', exact: true });
  });

  it('are generated only for Envoy Gateway; other implementations get honest comments', async () => {
    const traefik = variant('kubernetes', (s) => (s.proxy = 'traefik'));
    expect(policies(traefik)).toEqual([]);
    const files = await plannedText(traefik);
    expect([...files.keys()].some((p) => p.includes('policies/'))).toBe(false);
    expect((named(objectsOf(traefik), 'Gateway', 'edge') as Any).spec.gatewayClassName).toBe('traefik');
    expect(files.get('k8s/routes/users.yaml')).toMatch(/Rate limit .*NOT applied/);
    expect(files.get('k8s/gateway.yaml')).toMatch(/Mozilla intermediate .* in Traefik Middleware/);
    const caddy = variant('kubernetes', (s) => (s.proxy = 'caddy'));
    expect((named(objectsOf(caddy), 'Gateway', 'edge') as Any).spec.gatewayClassName).toBe('eg');
    expect((await plannedText(caddy)).get('k8s/gateway.yaml')).toMatch(/Caddy has no Gateway API implementation/);
    expect((named(objectsOf(variant('kubernetes', (s) => (s.proxy = 'nginx'))), 'Gateway', 'edge') as Any).spec.gatewayClassName).toBe('nginx');
  });
});

describe('variants', () => {
  const valid = (spec: EdgeSpec): void => {
    for (const d of gatewayApiDocs(objectsOf(spec))) expect(validator.validate(d).findings, `${d.kind}/${d.metadata.name}`).toEqual([]);
    expect(() => k8sTarget.plan(spec, CTX)).not.toThrow();
  };

  it('tls.local off: one HTTP listener, no HSTS, no TLS policy', async () => {
    const spec = variant('kubernetes', (s) => (s.tls.local = 'off'));
    valid(spec);
    const objs = objectsOf(spec);
    expect((named(objs, 'Gateway', 'edge') as Any).spec.listeners.map((l: Any) => l.name)).toEqual(['http']);
    expect([...(await plannedText(spec)).values()].join('\n')).not.toContain('Strict-Transport-Security');
    expect((objs.find((o) => o.kind === 'ClientTrafficPolicy') as Any).spec.tls).toBeUndefined();
  });

  it('tls.redirectHttp: the plain listener only redirects to HTTPS', () => {
    const spec = variant('kubernetes', (s) => (s.tls.redirectHttp = true));
    valid(spec);
    const objs = objectsOf(spec);
    const plain = ofKind(objs, 'HTTPRoute').filter((r: Any) => r.spec.parentRefs.some((p: Any) => p.sectionName === 'http')) as Any[];
    expect(plain.map((r) => r.metadata.name)).toEqual(['https-redirect']);
    expect(plain[0].spec.rules[0].filters[0].requestRedirect).toEqual({ scheme: 'https', port: 8443, statusCode: 301 });
    expect((named(objs, 'GRPCRoute', 'grpc') as Any).spec.parentRefs.map((p: Any) => p.sectionName)).toEqual(['https']);
  });

  it('tls.mode passthrough: a TLS listener and a TLSRoute', () => {
    const spec = variant('kubernetes', (s) => (s.tls.mode = 'passthrough'));
    valid(spec);
    const objs = objectsOf(spec);
    expect((named(objs, 'Gateway', 'edge') as Any).spec.listeners[1]).toMatchObject({ name: 'tls', protocol: 'TLS', tls: { mode: 'Passthrough' } });
    expect((named(objs, 'TLSRoute', 'tls-passthrough') as Any).spec.hostnames).toEqual(['localhost']);
  });

  it('methods, header transforms and a non-gRPC path on a gRPC route', () => {
    const spec = variant('kubernetes', (s) => {
      s.routes[0]!.methods = ['GET', 'POST'];
      s.routes[0]!.headers = { request: { set: { 'X-Env': 'dev' }, remove: ['X-Debug'] }, response: { set: { 'X-Frame-Options': 'SAMEORIGIN' } } };
      s.routes[2]!.path = '/rpc/v1/greeter';
    });
    valid(spec);
    const objs = objectsOf(spec);
    const r = named(objs, 'HTTPRoute', 'users') as Any;
    // URLRewrite allows one PathPrefix match per rule (CEL), so one rule per method.
    expect(r.spec.rules.map((rule: Any) => rule.matches.map((m: Any) => m.method))).toEqual([['GET'], ['POST']]);
    expect(r.spec.rules[0].filters[1]).toEqual({ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Env', value: 'dev' }], remove: ['X-Debug'] } });
    const set = r.spec.rules[0].filters[2].responseHeaderModifier.set;
    expect(set.filter((h: Any) => h.name === 'X-Frame-Options')).toEqual([{ name: 'X-Frame-Options', value: 'SAMEORIGIN' }]);
    expect(objs.some((o) => o.kind === 'GRPCRoute')).toBe(false);
    expect((named(objs, 'HTTPRoute', 'grpc') as Any).spec.rules[0].backendRefs[0].port).toBe(50051);
  });

  it('through the TypeScript gateway: no prefix rewrite at the edge, gRPC with auth is not exposed', async () => {
    const spec = specFor('self-hosted-full');
    expect(spec.topology.components).toContain('ts-gateway');
    const objs = objectsOf(spec);
    for (const r of ofKind(objs, 'HTTPRoute') as Any[]) {
      expect(r.spec.rules[0].backendRefs[0]).toMatchObject({ name: 'edge-gateway', port: spec.gateway.port });
      expect(r.spec.rules[0].filters.map((f: Any) => f.type)).not.toContain('URLRewrite');
    }
    expect((named(objs, 'Deployment', 'edge-gateway') as Any).spec.replicas).toBe(spec.gateway.replicas);
    expect(objs.some((o) => o.kind === 'GRPCRoute')).toBe(false);
    expect((await plannedText(spec)).get('k8s/kustomization.yaml')).toMatch(/Route grpc is NOT exposed: gRPC with auth jwt/);
  });

  it('refuses names it cannot give two objects', () => {
    const clash = variant('self-hosted-full', (s) => {
      s.services[1]!.name = 'edge-gateway';
      for (const r of s.routes) if (r.service === 'orders') r.service = 'edge-gateway';
    });
    expect(() => manifestsOf(clash)).toThrow(EwError);
    const twin = variant('kubernetes', (s) => (s.routes[1]!.name = 'users-http'));
    expect(() => manifestsOf(twin)).toThrow(/users-http/);
  });

  it('formats Gateway API durations', () => {
    expect(duration(10)).toBe('10s');
    expect(duration(90)).toBe('1m30s');
    expect(duration(3600)).toBe('1h');
    expect(duration(0.25)).toBe('250ms');
    expect(duration(3661.5)).toBe('1h1m1s500ms');
    for (const s of [0.1, 1, 59.999, 3600]) expect(duration(s)).toMatch(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/);
  });
});

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!kubectl)('kubectl kustomize (real tool, offline)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it.each(names)('%s: builds, with every object in the project namespace', async (name) => {
    const spec = specFor(name);
    const dir = mkdtempSync(join(tmpdir(), 'edgewise-k8s-'));
    dirs.push(dir);
    await writePlan(await k8sTarget.plan(spec, CTX), join(dir, 'project'));
    const out = execFileSync('kubectl', ['kustomize', 'k8s'], { cwd: join(dir, 'project'), encoding: 'utf8' });
    const built = parseAllDocuments(out).map((d) => d.toJS() as K8sObject);
    const planned = objectsOf(spec).filter((o) => o.kind !== 'Kustomization');
    expect(built).toHaveLength(planned.length);
    for (const o of built) if (o.kind !== 'Namespace') expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(spec.name);
    expect(parse(readFileSync(join(dir, 'project', 'k8s', 'kustomization.yaml'), 'utf8')).resources).toContain('gateway.yaml');
  });
});
