// The Traefik target: golden files, schema validation (SchemaStore's Traefik v3 schemas, read from
// ../shared), cross references, and properties of the generated configs. No traefik binary here,
// so no end-to-end traffic test.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { specSchema, type EdgeSpec } from '../src/spec/schema.js';
import { GATEWAY_POOL } from '../src/targets/edge-plan.js';
import { planTraefik, TRAEFIK_DYNAMIC, TRAEFIK_STATIC, traefikTarget } from '../src/targets/traefik/index.js';
import { INTERMEDIATE_CIPHERS_IANA } from '../src/targets/tls-mozilla.js';
import { expectGolden } from './support/golden.js';
import { CTX, SCENARIOS, scenarioSpec } from './support/specs.js';
import { crossCheckTraefik, ruleErrors, validateTraefikDynamic, validateTraefikStatic } from './support/traefik-validate.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML

const SCENARIO_NAMES = Object.keys(SCENARIOS);

function render(spec: EdgeSpec): { st: Obj; dyn: Obj; stText: string; dynText: string } {
  const files = planTraefik(spec, CTX);
  const stText = files.find((f) => f.path === TRAEFIK_STATIC)?.contents ?? '';
  const dynText = files.find((f) => f.path === TRAEFIK_DYNAMIC)?.contents ?? '';
  return { st: parse(stText) as Obj, dyn: parse(dynText) as Obj, stText, dynText };
}

const variant = (name: string, tweak: (s: EdgeSpec) => void): EdgeSpec => {
  const s = structuredClone(scenarioSpec(name));
  tweak(s);
  return specSchema.parse(s);
};

function allErrors(spec: EdgeSpec): string[] {
  const { st, dyn } = render(spec);
  return [...validateTraefikStatic(st).errors, ...validateTraefikDynamic(dyn).errors, ...crossCheckTraefik(st, dyn, TRAEFIK_DYNAMIC)];
}

describe('traefik target: golden files', () => {
  it.each(SCENARIO_NAMES)('%s', (name) => {
    expectGolden(name, planTraefik(scenarioSpec(name), CTX), 'proxy/traefik/');
  });
});

describe('traefik target: validation', () => {
  it.each(SCENARIO_NAMES)('%s passes the schemas and the cross-reference check', (name) => {
    expect(allErrors(scenarioSpec(name))).toEqual([]);
  });

  it.each([
    ['trusted proxies', (s: EdgeSpec) => void (s.trustedProxies = ['10.0.0.0/8', '192.168.1.10'])],
    ['redirect to https', (s: EdgeSpec) => void (s.tls.redirectHttp = true)],
    ['no TLS', (s: EdgeSpec) => void (s.tls.local = 'off')],
    ['methods and header transforms', (s: EdgeSpec) => void Object.assign(s.routes[0]!, { auth: 'none', methods: ['GET', 'HEAD'], headers: { request: { set: { 'x-edge': 'traefik' }, remove: ['x-debug'] }, response: { remove: ['x-powered-by'] } } })],
    ['root route', (s: EdgeSpec) => void (s.routes[0]!.path = '/')],
  ])('a variant with %s is valid too', (_label, tweak) => {
    expect(allErrors(variant('kubernetes', tweak))).toEqual([]);
  });

  it('catches a misspelt static field', () => {
    const { st } = render(scenarioSpec('self-hosted-basic'));
    st.entryPoints.web.adress = st.entryPoints.web.address;
    delete st.entryPoints.web.address;
    expect(validateTraefikStatic(st).errors.join('\n')).toMatch(/additional properties \(adress\)/);
  });

  it('catches a wrong type in the static config', () => {
    const { st } = render(scenarioSpec('self-hosted-basic'));
    st.providers.file.filename = 5;
    expect(validateTraefikStatic(st).errors.join('\n')).toMatch(/must be string/);
  });

  it('catches a router without a service and a server without a url', () => {
    const { dyn } = render(scenarioSpec('self-hosted-basic'));
    const router = Object.values(dyn.http.routers)[0] as Obj;
    router.servise = router.service;
    delete router.service;
    const service = Object.values(dyn.http.services)[0] as Obj;
    service.loadBalancer.servers[0] = { uri: 'http://127.0.0.1:1' };
    const errors = validateTraefikDynamic(dyn).errors.join('\n');
    expect(errors).toMatch(/required property 'service'/);
    expect(errors).toMatch(/required property 'url'/);
  });

  it('catches dangling references the schemas cannot see', () => {
    const { st, dyn } = render(scenarioSpec('kubernetes'));
    dyn.http.routers.users.middlewares.push('no-such-middleware');
    dyn.http.routers.orders.service = 'no-such-service';
    dyn.http.routers.users.entryPoints = ['nowhere'];
    (Object.values(dyn.http.serversTransports)[0] as Obj).forwardingTimeouts.responseTimeout = '1s';
    const errors = crossCheckTraefik(st, dyn, TRAEFIK_DYNAMIC).join('\n');
    expect(errors).toMatch(/middleware no-such-middleware is not defined/);
    expect(errors).toMatch(/service no-such-service is not defined/);
    expect(errors).toMatch(/entry point nowhere is not defined/);
    expect(errors).toMatch(/unknown forwardingTimeouts field responseTimeout/);
  });

  it('checks router rule syntax', () => {
    expect(ruleErrors('(Path(`/a`) || PathPrefix(`/a/`)) && (Method(`GET`) || Method(`HEAD`))')).toEqual([]);
    expect(ruleErrors('PathPrefix(`/a`')).toHaveLength(1);
    expect(ruleErrors('Method(`GET`, `POST`)')).toHaveLength(1);
    expect(ruleErrors('PathPrefx(`/a`)')).toHaveLength(1);
    expect(ruleErrors('PathPrefix(`a`)')).toHaveLength(1);
  });
});

describe('traefik target: what the configs say', () => {
  it.each(SCENARIO_NAMES)('%s: every route has a router on every entry point, with its path', (name) => {
    const spec = scenarioSpec(name);
    const { dyn } = render(spec);
    for (const r of spec.routes) {
      for (const router of [r.name, `${r.name}-tls`]) {
        expect(dyn.http.routers[router], router).toBeDefined();
        expect(dyn.http.routers[router].rule).toContain(`Path(\`${r.path}\`)`);
        expect(dyn.http.routers[router].priority).toBe(r.path.length);
      }
      expect(dyn.http.routers[`${r.name}-tls`].tls).toEqual({});
    }
  });

  it.each(SCENARIO_NAMES)('%s: every instance of every upstream is a server, with an active health check', (name) => {
    const spec = scenarioSpec(name);
    const { dyn } = render(spec);
    const services = Object.values(dyn.http.services) as Obj[];
    const urls = services.flatMap((s) => s.loadBalancer.servers.map((x: Obj) => x.url as string));
    for (const svc of spec.services.filter((s) => (Object.values(dyn.http.routers) as Obj[]).some((r) => String(r.service).startsWith(`${s.name}-`) || String(r.service).startsWith(`${s.name}_h2c-`)))) {
      for (let i = 0; i < svc.instances; i++) expect(urls.some((u) => u.endsWith(`://127.0.0.1:${svc.port + i}`)), `${svc.name}#${i + 1}`).toBe(true);
    }
    for (const [n, s] of Object.entries(dyn.http.services) as [string, Obj][]) {
      if (n.startsWith(`${GATEWAY_POOL}-`)) {
        expect(s.loadBalancer.healthCheck, n).toBeUndefined(); // the gateway's /healthz is not on its public port
        continue;
      }
      expect(s.loadBalancer.healthCheck.path).toMatch(/^\//);
      expect(s.loadBalancer.healthCheck.interval).toBe('5s');
    }
  });

  it('sends routes through the gateway when the topology has one, without stripping or limiting there', () => {
    const spec = scenarioSpec('self-hosted-full');
    const { dyn } = render(spec);
    for (const r of spec.routes.filter((x) => !x.grpc)) {
      expect(dyn.http.routers[r.name].service).toMatch(new RegExp(`^${GATEWAY_POOL}-`));
      expect(dyn.http.routers[r.name].middlewares.some((m: string) => m.startsWith('strip-') || m.startsWith('ratelimit-'))).toBe(false);
    }
    const gw = dyn.http.services[`${GATEWAY_POOL}-60s`].loadBalancer.servers.map((s: Obj) => s.url);
    expect(gw).toEqual(['http://127.0.0.1:8088', 'http://127.0.0.1:8089']);
  });

  it('never sends an authenticated route straight to a service', () => {
    const spec = scenarioSpec('aws-containers-jwt'); // auth: jwt, no ts-gateway in the topology
    const { dyn } = render(spec);
    for (const r of spec.routes) expect(dyn.http.routers[r.name].service.startsWith(`${GATEWAY_POOL}-`)).toBe(true);
  });

  it('refuses an authenticated gRPC route (the gateway cannot carry gRPC) and sends others over h2c', () => {
    const refused = render(scenarioSpec('self-hosted-full')).dyn;
    expect(refused.http.routers.grpc.middlewares).toContain('deny-all');
    expect(refused.http.routers.grpc.service).toBe('noop@internal'); // no upstream at all
    expect(Object.keys(refused.http.services).some((n) => n.startsWith('users_h2c'))).toBe(false);
    expect(refused.http.middlewares['deny-all'].ipAllowList.sourceRange).toEqual(['192.0.2.1/32']);
    const open = render(scenarioSpec('kubernetes')).dyn;
    expect(open.http.routers.grpc.middlewares).not.toContain('deny-all');
    const svc = open.http.services[open.http.routers.grpc.service].loadBalancer;
    expect(svc.servers.every((s: Obj) => String(s.url).startsWith('h2c://'))).toBe(true);
    expect(svc.healthCheck.scheme).toBe('http');
  });

  it.each(SCENARIO_NAMES)('%s: security headers everywhere, HSTS only on TLS, no Server header', (name) => {
    const spec = scenarioSpec(name);
    const { dyn } = render(spec);
    const plain = dyn.http.middlewares['security-headers'].headers;
    const tls = dyn.http.middlewares['security-headers-tls'].headers;
    for (const h of [plain, tls]) {
      expect(h).toMatchObject({ frameDeny: true, contentTypeNosniff: true, referrerPolicy: 'no-referrer', customResponseHeaders: { Server: '' } });
      expect(h.forceSTSHeader).toBeUndefined();
    }
    expect(plain.stsSeconds).toBeUndefined();
    expect(tls.stsSeconds).toBe(spec.tls.hstsSeconds);
    for (const [n, r] of Object.entries(dyn.http.routers) as [string, Obj][]) expect(r.middlewares[0]).toBe(n.endsWith('-tls') ? 'security-headers-tls' : 'security-headers');
  });

  it.each(SCENARIO_NAMES)('%s: TLS per Mozilla intermediate', (name) => {
    const spec = scenarioSpec(name);
    const { dyn } = render(spec);
    const o = dyn.tls.options.default;
    expect(o.minVersion).toBe('VersionTLS12');
    expect(o.cipherSuites).toEqual([...INTERMEDIATE_CIPHERS_IANA]);
    expect(o.cipherSuites.some((c: string) => /DHE_RSA|CBC|RC4|3DES/.test(c.replace('ECDHE', '')))).toBe(false);
    expect(o.curvePreferences).toEqual(['X25519MLKEM768', 'X25519', 'CurveP256', 'CurveP384']);
    expect(dyn.tls.certificates).toEqual([{ certFile: spec.tls.certFile, keyFile: spec.tls.keyFile }]);
    expect(dyn.tls.stores.default.defaultCertificate).toEqual({ certFile: spec.tls.certFile, keyFile: spec.tls.keyFile });
  });

  it.each(SCENARIO_NAMES)('%s: entry points, timeouts, limits, no API or dashboard', (name) => {
    const spec = scenarioSpec(name);
    const { st } = render(spec);
    expect(st.entryPoints.web.address).toBe(`${spec.listen.host}:${spec.listen.httpPort}`);
    expect(st.entryPoints.websecure.address).toBe(`${spec.listen.host}:${spec.listen.httpsPort}`);
    for (const ep of Object.values(st.entryPoints) as Obj[]) {
      const t = ep.transport.respondingTimeouts;
      for (const k of ['readTimeout', 'writeTimeout', 'idleTimeout']) expect(t[k], k).toMatch(/^\d+(\.\d+)?s$/);
      expect(ep.http.maxHeaderBytes).toBe(spec.limits.headerKb * 1024);
      expect(ep.http.underscoreHeadersStrategy).toBe('reject');
      expect(ep.forwardedHeaders).toEqual({ insecure: false });
      expect(ep.http2.maxConcurrentStreams).toBe(100);
    }
    expect(st.api).toBeUndefined();
    expect(st.ping).toBeUndefined();
    expect(st.providers.file.filename).toBe(TRAEFIK_DYNAMIC);
    expect(st.accessLog.fields.headers.defaultMode).toBe('drop');
    expect(st.accessLog.filePath).toBeUndefined(); // stdout
  });

  it.each(SCENARIO_NAMES)('%s: body limits on HTTP routes, none on WebSocket and gRPC', (name) => {
    const spec = scenarioSpec(name);
    const { dyn } = render(spec);
    for (const r of spec.routes) {
      const mw: string[] = dyn.http.routers[r.name].middlewares;
      if (r.websocket || r.grpc) expect(mw.some((m) => m.startsWith('body-'))).toBe(false);
      else expect(dyn.http.middlewares[`body-${r.name}`].buffering.maxRequestBodyBytes).toBe(Math.round(r.bodyLimitMb * 1024 * 1024));
    }
  });

  it('rate limits per client address (socket, or the trusted chain) and never by a header', () => {
    const rl = scenarioSpec('kubernetes').routes[0]!.rateLimit!;
    const direct = render(scenarioSpec('kubernetes')).dyn.http.middlewares['ratelimit-users'].rateLimit;
    expect(direct).toEqual({ average: rl.requests, period: `${rl.windowSeconds}s`, burst: rl.requests + rl.burst, sourceCriterion: { ipStrategy: { depth: 0 } } });
    const spec = variant('kubernetes', (s) => void (s.trustedProxies = ['10.0.0.0/8']));
    const { st, dyn } = render(spec);
    expect(dyn.http.middlewares['ratelimit-users'].rateLimit.sourceCriterion).toEqual({ ipStrategy: { excludedIPs: ['10.0.0.0/8'] } });
    for (const ep of Object.values(st.entryPoints) as Obj[]) expect(ep.forwardedHeaders).toEqual({ insecure: false, trustedIPs: ['10.0.0.0/8'] });
    for (const m of Object.values(dyn.http.middlewares) as Obj[]) expect(JSON.stringify(m)).not.toMatch(/requestHeaderName|requestHost/);
  });

  it('says where the response cache is missing, and that global limits are per address', () => {
    const dynText = render(scenarioSpec('self-hosted-single')).dynText.replace(/\n\s*#\s?/g, ' ');
    expect(dynText).toMatch(/cacheTtlSeconds 30 NOT applied: Traefik OSS has no response cache/);
    expect(dynText).toMatch(/key: global cannot be expressed/);
  });

  it('redirects plain HTTP to the TLS entry point only when asked', () => {
    const { st, dyn } = render(variant('self-hosted-basic', (s) => void (s.tls.redirectHttp = true)));
    expect(st.entryPoints.web.http.redirections).toEqual({ entryPoint: { to: 'websecure', scheme: 'https', permanent: true } });
    expect((Object.values(dyn.http.routers) as Obj[]).every((r) => r.entryPoints[0] === 'websecure')).toBe(true);
    expect(dyn.http.middlewares['security-headers']).toBeUndefined();
    expect(render(scenarioSpec('self-hosted-basic')).st.entryPoints.web.http.redirections).toBeUndefined();
  });

  it('has no TLS entry point, options or certificates when local TLS is off', () => {
    const { st, dyn } = render(variant('self-hosted-basic', (s) => void (s.tls.local = 'off')));
    expect(Object.keys(st.entryPoints)).toEqual(['web']);
    expect(dyn.tls).toBeUndefined();
    expect(JSON.stringify(dyn)).not.toMatch(/stsSeconds/);
  });

  it('keeps sticky services on one instance with a cookie, and says when the gateway is in the way', () => {
    const { dyn } = render(variant('kubernetes', (s) => void (s.services[1]!.sticky = true))); // orders
    expect(dyn.http.services['orders-10s'].loadBalancer.sticky).toEqual({ cookie: { name: 'affinity-orders', secure: false, httpOnly: true, sameSite: 'lax' } });
    expect(dyn.http.services['users-10s'].loadBalancer.sticky).toBeUndefined();
    const https = render(variant('kubernetes', (s) => void Object.assign(s, { services: s.services.map((x) => ({ ...x, sticky: true })), tls: { ...s.tls, redirectHttp: true } }))).dyn;
    expect(https.http.services['orders-10s'].loadBalancer.sticky.cookie.secure).toBe(true);
    expect(https.http.services['users_h2c-10s'].loadBalancer.sticky).toBeUndefined(); // no affinity for gRPC
    const viaGateway = render(scenarioSpec('self-hosted-full')).dynText.replace(/\n\s*#\s?/g, ' ');
    expect(viaGateway).toMatch(/sticky: true of users, orders, catalog is not applied here: their routes go through the TypeScript gateway/);
  });

  it('matches whole path segments and the listed methods only', () => {
    const { dyn } = render(variant('kubernetes', (s) => void (s.routes[0]!.methods = ['GET', 'HEAD'])));
    expect(dyn.http.routers.users.rule).toBe('(Path(`/api/users`) || PathPrefix(`/api/users/`)) && (Method(`GET`) || Method(`HEAD`))');
    expect(dyn.http.middlewares['strip-users']).toEqual({ stripPrefix: { prefixes: ['/api/users'] } });
  });

  it('is deterministic and has no absolute paths or timestamps', () => {
    for (const name of SCENARIO_NAMES) {
      const a = planTraefik(scenarioSpec(name), CTX);
      expect(planTraefik(scenarioSpec(name), CTX)).toEqual(a);
      for (const f of a) {
        expect(f.contents.startsWith('# Generated by edgewise')).toBe(true);
        expect(f.contents).not.toMatch(/\/(work|tmp|home|Users)\/|\d{4}-\d{2}-\d{2}T\d{2}/);
        expect(f.contents).not.toMatch(/&a\d|\*a\d/); // no YAML anchors
      }
    }
  });

  it('runs from the project root with its state under .run/traefik', () => {
    const spec = scenarioSpec('self-hosted-basic');
    expect(traefikTarget.local.run(spec)).toEqual(['--configFile=proxy/traefik/traefik.yml']);
    expect(traefikTarget.local.dirs).toEqual(['.run/traefik', '.run/traefik/tmp']);
    expect(traefikTarget.local.env).toEqual({ TMPDIR: '.run/traefik/tmp' });
    expect(traefikTarget.local.validate(spec)).toEqual(['version']); // Traefik has no config-check mode
    expect(traefikTarget.capabilities.cache).toBe(false);
  });
});
