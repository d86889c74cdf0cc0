// The Envoy target: golden files, validation with Envoy's own protos (strict proto3 JSON + PGV
// rules, test/support/envoy-validate.ts), and properties of the generated bootstrap. No envoy
// binary here, so no end-to-end traffic test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { specSchema, type EdgeSpec } from '../src/spec/schema.js';
import { adminPort } from '../src/targets/envoy/bootstrap.js';
import { ENVOY_CONFIG, envoyTarget, planEnvoy } from '../src/targets/envoy/index.js';
import { GATEWAY_POOL } from '../src/targets/edge-plan.js';
import { INTERMEDIATE_CIPHERS_OPENSSL } from '../src/targets/tls-mozilla.js';
import { allLoadableV3Protos, envoyRegistry, validateBootstrapDoc, type EnvoyRegistry } from './support/envoy-validate.js';
import { expectGolden } from './support/golden.js';
import { CTX, SCENARIOS, scenarioSpec } from './support/specs.js';
import { SHARED } from './helpers.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML

const SCENARIO_NAMES = Object.keys(SCENARIOS);
const EXAMPLES = join(SHARED, 'schemas', 'envoy', 'examples');

let reg: EnvoyRegistry;
beforeAll(() => {
  reg = envoyRegistry(); // built once per test file (~0.2 s)
});

const text = (spec: EdgeSpec): string => planEnvoy(spec, CTX).find((f) => f.path === ENVOY_CONFIG)?.contents ?? '';
const render = (spec: EdgeSpec): Obj => parse(text(spec)) as Obj;
/** Comments joined across wrapped lines. */
const flat = (t: string): string => t.replace(/\n\s*#\s?/g, ' ');
const variant = (name: string, tweak: (s: EdgeSpec) => void): EdgeSpec => {
  const s = structuredClone(scenarioSpec(name));
  tweak(s);
  return specSchema.parse(s);
};

const chains = (doc: Obj): Obj[] => (doc.static_resources.listeners as Obj[]).flatMap((l) => [...(l.filter_chains ?? []), ...(l.default_filter_chain ? [l.default_filter_chain] : [])]);
const hcms = (doc: Obj): Obj[] => chains(doc).map((c) => c.filters[0].typed_config);
const routesOf = (h: Obj): Obj[] => h.route_config.virtual_hosts.flatMap((v: Obj) => v.routes);
const cluster = (doc: Obj, name: string): Obj => (doc.static_resources.clusters as Obj[]).find((c) => c.name === name) ?? {};

describe('envoy target: golden files', () => {
  it.each(SCENARIO_NAMES)('%s', (name) => {
    expectGolden(name, planEnvoy(scenarioSpec(name), CTX), 'proxy/envoy/');
  });
});

describe('envoy target: validation with the Envoy v3 protos', () => {
  it.each(SCENARIO_NAMES)('%s decodes strictly and passes the PGV rules', (name) => {
    expect(validateBootstrapDoc(render(scenarioSpec(name)), reg).errors).toEqual([]);
  });

  it.each([
    ['trusted proxies', (s: EdgeSpec) => void (s.trustedProxies = ['10.0.0.0/8', '192.168.1.10', '2001:db8::/32'])],
    ['redirect to https', (s: EdgeSpec) => void (s.tls.redirectHttp = true)],
    ['no TLS', (s: EdgeSpec) => void (s.tls.local = 'off')],
    ['methods and header transforms', (s: EdgeSpec) => void Object.assign(s.routes[0]!, { auth: 'none', methods: ['GET', 'HEAD'], headers: { request: { set: { 'x-edge': 'envoy' }, remove: ['x-debug'] }, response: { remove: ['x-powered-by'] } } })],
    ['a single method and a root route', (s: EdgeSpec) => void Object.assign(s.routes[0]!, { path: '/', methods: ['GET'] })],
    ['fractional timeouts', (s: EdgeSpec) => void Object.assign(s.limits, { connectTimeoutSeconds: 0.25, clientHeaderTimeoutSeconds: 1.5 })],
  ])('a variant with %s is valid too', (_label, tweak) => {
    expect(validateBootstrapDoc(render(variant('kubernetes', tweak)), reg).errors).toEqual([]);
  });

  it("accepts Envoy's own examples (all v3 protos)", () => {
    const all = envoyRegistry(allLoadableV3Protos());
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(validateBootstrapDoc(parse(readFileSync(join(EXAMPLES, f), 'utf8')), all).errors, f).toEqual([]);
  });

  const broken: [string, (d: Obj) => void, RegExp][] = [
    ['an unknown key', (d) => void (hcms(d)[0]!.stat_prefx = 'x'), /key "stat_prefx" is unknown/],
    ['a bad enum', (d) => void (d.static_resources.clusters[0].lb_policy = 'ROUND_ROBBIN'), /cannot decode enum .*LbPolicy/],
    ['a bad duration', (d) => void (d.static_resources.clusters[0].connect_timeout = 'fifteen'), /cannot decode message google.protobuf.Duration/],
    ['a zero connect timeout', (d) => void (d.static_resources.clusters[0].connect_timeout = '0s'), /connect_timeout: duration must be > 0s/],
    ['port 99999', (d) => void (d.static_resources.listeners[0].address.socket_address.port_value = 99999), /port_value: must be <= 65535/],
    ['a wrong scalar type', (d) => void (d.admin.address.socket_address.port_value = 'abc'), /cannot decode/],
    ['an empty stat_prefix', (d) => void (hcms(d)[0]!.stat_prefix = ''), /stat_prefix: length must be >= 1/],
    ['max_request_headers_kb above 8192', (d) => void (hcms(d)[0]!.max_request_headers_kb = 9000), /max_request_headers_kb: must be <= 8192/],
    ['a typed_config type missing from the registry', (d) => void (hcms(d)[0]!.http_filters.at(-1).typed_config['@type'] = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Routr'), /not in the type registry/],
    ['a route without an action', (d) => void delete routesOf(hcms(d)[0]!)[1]!.route, /exactly one of \[route, redirect, direct_response/],
    ['a socket address without a port', (d) => void delete d.admin.address.socket_address.port_value, /exactly one of \[port_value, named_port\]/],
    ['a virtual host without domains', (d) => void (hcms(d)[0]!.route_config.virtual_hosts[0].domains = []), /domains: must have at least 1 item/],
    ['a health check without thresholds', (d) => void delete d.static_resources.clusters[0].health_checks[0].unhealthy_threshold, /unhealthy_threshold: is required/],
    ['a zero token bucket', (d) => void (routesOf(hcms(d)[0]!).find((r) => r.typed_per_filter_config['envoy.filters.http.local_ratelimit'])!.typed_per_filter_config['envoy.filters.http.local_ratelimit'].token_bucket.max_tokens = 0), /max_tokens: must be > 0/],
  ];
  it.each(broken)('catches %s', (_label, breakIt, message) => {
    const doc = render(scenarioSpec('kubernetes'));
    breakIt(doc);
    const res = validateBootstrapDoc(doc, reg);
    expect(res.ok).toBe(false);
    expect(res.errors.join('\n')).toMatch(message);
  });
});

describe('envoy target: what the bootstrap says', () => {
  it.each(SCENARIO_NAMES)('%s: edge hardening on every connection manager', (name) => {
    const spec = scenarioSpec(name);
    const doc = render(spec);
    for (const h of hcms(doc)) {
      expect(h).toMatchObject({
        use_remote_address: true,
        xff_num_trusted_hops: 0,
        normalize_path: true,
        merge_slashes: true,
        path_with_escaped_slashes_action: 'UNESCAPE_AND_REDIRECT',
        max_request_headers_kb: spec.limits.headerKb,
        common_http_protocol_options: { headers_with_underscores_action: 'REJECT_REQUEST' },
        http2_protocol_options: { max_concurrent_streams: 100, initial_stream_window_size: 65536, initial_connection_window_size: 1048576 },
      });
      for (const k of ['stream_idle_timeout', 'request_timeout', 'request_headers_timeout']) expect(h[k], k).toMatch(/^[1-9]\d*(\.\d+)?s$|^0\.\d*[1-9]\d*s$/);
      expect(h.access_log[0].typed_config['@type']).toMatch(/StdoutAccessLog$/);
      expect(h.server_header_transformation).toBe('OVERWRITE');
    }
    for (const l of doc.static_resources.listeners as Obj[]) expect(l.per_connection_buffer_limit_bytes).toBe(32768);
    for (const c of doc.static_resources.clusters as Obj[]) expect(c.per_connection_buffer_limit_bytes).toBe(32768);
    expect(doc.admin.address.socket_address.address).toBe('127.0.0.1');
    expect(doc.admin.profile_path).toMatch(/^\.run\/envoy\//);
  });

  it.each(SCENARIO_NAMES)('%s: every route names a defined cluster, and every cluster is used', (name) => {
    const doc = render(scenarioSpec(name));
    const defined = (doc.static_resources.clusters as Obj[]).map((c) => c.name as string);
    const used = new Set(hcms(doc).flatMap((h) => routesOf(h).flatMap((r) => (r.route ? [r.route.cluster as string] : []))));
    for (const c of used) expect(defined, c).toContain(c);
    expect(defined.filter((c) => !used.has(c))).toEqual([]);
    for (const c of doc.static_resources.clusters as Obj[]) expect(c.load_assignment.cluster_name).toBe(c.name);
  });

  it.each(SCENARIO_NAMES)('%s: every route is there, most specific first', (name) => {
    const spec = scenarioSpec(name);
    for (const h of hcms(render(spec))) {
      const routes = routesOf(h);
      for (const r of spec.routes) expect(routes.some((x) => x.name === r.name), r.name).toBe(true);
      const lengths = routes.map((x) => String(x.match.path ?? x.match.prefix ?? x.match.path_separated_prefix).replace(/\/$/, '').length);
      expect([...lengths].sort((a, b) => b - a)).toEqual(lengths);
    }
  });

  it.each(SCENARIO_NAMES)('%s: every instance is a STATIC endpoint, with active and passive health checks', (name) => {
    const spec = scenarioSpec(name);
    const doc = render(spec);
    const endpoints = (doc.static_resources.clusters as Obj[]).flatMap((c) => c.load_assignment.endpoints[0].lb_endpoints.map((e: Obj) => e.endpoint.address.socket_address.port_value as number));
    const used = new Set(hcms(doc).flatMap((h) => routesOf(h).map((r) => r.route?.cluster as string | undefined)));
    for (const svc of spec.services.filter((s) => used.has(s.name) || used.has(`${s.name}_h2c`))) for (let i = 0; i < svc.instances; i++) expect(endpoints).toContain(svc.port + i);
    for (const c of doc.static_resources.clusters as Obj[]) {
      expect(c.type).toBe('STATIC');
      if (c.name === GATEWAY_POOL) expect(c.health_checks[0].tcp_health_check).toEqual({}); // its /healthz is on a loopback admin port
      else expect(c.health_checks[0].http_health_check.path).toMatch(/^\//);
      expect(c.outlier_detection.consecutive_5xx).toBeGreaterThan(0);
      expect(c.circuit_breakers.thresholds[0].max_requests).toBeGreaterThan(0);
    }
  });

  it('routes through the gateway when the topology has one, and never exposes an authenticated route directly', () => {
    const full = render(scenarioSpec('self-hosted-full'));
    for (const r of routesOf(hcms(full)[0]!).filter((x) => x.route)) {
      expect(r.route.cluster).toBe(GATEWAY_POOL);
      expect(r.route.prefix_rewrite).toBeUndefined();
      expect(r.typed_per_filter_config['envoy.filters.http.local_ratelimit']).toBeUndefined();
    }
    expect(cluster(full, GATEWAY_POOL).load_assignment.endpoints[0].lb_endpoints).toHaveLength(2);
    const jwt = render(scenarioSpec('aws-containers-jwt'));
    for (const r of routesOf(hcms(jwt)[0]!)) expect(r.route.cluster).toBe(GATEWAY_POOL);
  });

  it('refuses an authenticated gRPC route, and sends the others over HTTP/2', () => {
    const grpc = routesOf(hcms(render(scenarioSpec('self-hosted-full')))[0]!).find((r) => r.name === 'grpc')!;
    expect(grpc.direct_response.status).toBe(403);
    expect(cluster(render(scenarioSpec('self-hosted-full')), 'users_h2c')).toEqual({}); // no upstream at all
    const doc = render(scenarioSpec('kubernetes'));
    const open = routesOf(hcms(doc)[0]!).find((r) => r.name === 'grpc')!;
    expect(open.match.grpc).toEqual({});
    const c = cluster(doc, open.route.cluster);
    expect(c.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'].explicit_http_config).toEqual({ http2_protocol_options: {} });
    expect(cluster(doc, 'users').typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'].explicit_http_config).toEqual({ http_protocol_options: {} });
  });

  it('matches whole path segments and strips prefixes with one route (one rate-limit bucket)', () => {
    const routes = routesOf(hcms(render(scenarioSpec('kubernetes')))[0]!).filter((r) => r.name === 'users');
    expect(routes).toHaveLength(1);
    expect(routes[0]!.match).toEqual({ path_separated_prefix: '/api/users' });
    const rw = routes[0]!.route.regex_rewrite;
    expect(rw).toEqual({ pattern: { regex: '^/api/users/?' }, substitution: '/' });
    const apply = (p: string): string => p.replace(new RegExp(rw.pattern.regex), rw.substitution);
    expect(['/api/users', '/api/users/', '/api/users/42', '/api/users/42/x'].map(apply)).toEqual(['/', '/', '/42', '/42/x']);
    const dotted = render(variant('kubernetes', (s) => void Object.assign(s.routes[0]!, { path: '/v1.2/users' })));
    expect(routesOf(hcms(dotted)[0]!).find((r) => r.name === 'users')!.route.regex_rewrite.pattern.regex).toBe('^/v1\\.2/users/?');
    const ws = routesOf(hcms(render(scenarioSpec('self-hosted-full')))[0]!).find((r) => r.name === 'ws')!;
    expect(ws.match).toEqual({ path_separated_prefix: '/ws' });
    expect(ws.route.regex_rewrite).toBeUndefined();
  });

  it('keeps sticky services on one instance with a cookie (ring hash), and says when the gateway is in the way', () => {
    const spec = variant('kubernetes', (s) => void (s.services[1]!.sticky = true)); // orders
    const doc = render(spec);
    expect(cluster(doc, 'orders').lb_policy).toBe('RING_HASH');
    expect(cluster(doc, 'users').lb_policy).toBe('ROUND_ROBIN');
    const orders = routesOf(hcms(doc)[0]!).find((r) => r.name === 'orders')!;
    expect(orders.route.hash_policy).toEqual([{ cookie: { name: 'affinity-orders', ttl: '0s', path: '/', attributes: [{ name: 'SameSite', value: 'Lax' }] } }]);
    expect(validateBootstrapDoc(doc, reg).errors).toEqual([]);
    const viaGateway = scenarioSpec('self-hosted-full');
    expect(flat(text(viaGateway))).toMatch(/sticky: true of users, orders, catalog is not applied here: their routes go through the TypeScript gateway/);
  });

  it('enables WebSocket upgrades on WebSocket routes only, bounded by an idle timeout', () => {
    const doc = render(scenarioSpec('self-hosted-full'));
    for (const h of hcms(doc)) {
      expect(h.upgrade_configs).toEqual([{ upgrade_type: 'websocket', enabled: false }]);
      const ws = routesOf(h).find((r) => r.name === 'ws')!;
      expect(ws.route.upgrade_configs).toEqual([{ upgrade_type: 'websocket', enabled: true }]);
      expect(ws.route.idle_timeout).toBe('3600s');
      expect(ws.typed_per_filter_config['envoy.filters.http.buffer'].disabled).toBe(true);
    }
    expect(hcms(render(scenarioSpec('kubernetes')))[0]!.upgrade_configs).toBeUndefined();
  });

  it('rate limits with the local rate limit filter, 429, per route', () => {
    const spec = scenarioSpec('kubernetes');
    const doc = render(spec);
    const h = hcms(doc)[0]!;
    expect(h.http_filters.map((f: Obj) => f.name)).toEqual(['envoy.filters.http.local_ratelimit', 'envoy.filters.http.buffer', 'envoy.filters.http.router']);
    expect(h.http_filters[0].typed_config.token_bucket).toBeUndefined();
    const rl = spec.routes[0]!.rateLimit!;
    const cfg = routesOf(h).find((r) => r.name === 'users')!.typed_per_filter_config['envoy.filters.http.local_ratelimit'];
    expect(cfg).toMatchObject({ status: { code: 'TooManyRequests' }, token_bucket: { max_tokens: rl.requests + rl.burst, tokens_per_fill: rl.requests, fill_interval: `${rl.windowSeconds}s` } });
    expect(cfg.filter_enforced.default_value).toEqual({ numerator: 100, denominator: 'HUNDRED' });
    expect(cfg.local_rate_limit_per_downstream_connection).toBe(false); // key: global
    const perIp = render(variant('kubernetes', (s) => void (s.routes[0]!.rateLimit = { requests: 5, windowSeconds: 1, key: 'ip', burst: 5 })));
    expect(routesOf(hcms(perIp)[0]!).find((r) => r.name === 'users')!.typed_per_filter_config['envoy.filters.http.local_ratelimit'].local_rate_limit_per_downstream_connection).toBe(true);
  });

  it('limits request bodies per route with the buffer filter', () => {
    const spec = scenarioSpec('self-hosted-basic');
    for (const r of routesOf(hcms(render(spec))[0]!)) expect(r.typed_per_filter_config['envoy.filters.http.buffer'].buffer.max_request_bytes).toBe(Math.round(spec.routes[0]!.bodyLimitMb * 1024 * 1024));
  });

  it.each(SCENARIO_NAMES)('%s: TLS per Mozilla intermediate, HSTS on the TLS listener only', (name) => {
    const spec = scenarioSpec(name);
    const doc = render(spec);
    const [http, https] = doc.static_resources.listeners as Obj[];
    expect(https!.address.socket_address).toEqual({ address: spec.listen.host, port_value: spec.listen.httpsPort });
    const tls = https!.filter_chains[0].transport_socket.typed_config.common_tls_context;
    expect(tls.tls_params).toMatchObject({ tls_minimum_protocol_version: 'TLSv1_2', cipher_suites: [...INTERMEDIATE_CIPHERS_OPENSSL] });
    expect(tls.tls_params.cipher_suites.some((c: string) => /^DHE|CBC|SHA$/.test(c))).toBe(false);
    expect(tls.tls_certificates[0]).toEqual({ certificate_chain: { filename: spec.tls.certFile }, private_key: { filename: spec.tls.keyFile } });
    const hsts = (l: Obj): boolean => l.filter_chains[0].filters[0].typed_config.route_config.response_headers_to_add.some((h: Obj) => h.header.key === 'strict-transport-security');
    expect(hsts(https!)).toBe(true);
    expect(hsts(http!)).toBe(false);
    for (const l of [http!, https!]) {
      const keys = l.filter_chains[0].filters[0].typed_config.route_config.response_headers_to_add.map((h: Obj) => `${h.header.key}: ${h.header.value}`);
      expect(keys).toEqual(expect.arrayContaining(['x-content-type-options: nosniff', 'x-frame-options: DENY', 'referrer-policy: no-referrer']));
    }
    expect(http!.filter_chains[0].transport_socket).toBeUndefined();
  });

  it('trusts X-Forwarded-For only on connections from the trusted proxies', () => {
    const doc = render(variant('kubernetes', (s) => void (s.trustedProxies = ['10.0.0.0/8', '192.168.1.10'])));
    for (const l of doc.static_resources.listeners as Obj[]) {
      expect(l.filter_chains).toHaveLength(1);
      expect(l.filter_chains[0].filter_chain_match.direct_source_prefix_ranges).toEqual([
        { address_prefix: '10.0.0.0', prefix_len: 8 },
        { address_prefix: '192.168.1.10', prefix_len: 32 },
      ]);
      expect(l.filter_chains[0].filters[0].typed_config.xff_num_trusted_hops).toBe(1);
      expect(l.default_filter_chain.filter_chain_match).toBeUndefined();
      expect(l.default_filter_chain.filters[0].typed_config.xff_num_trusted_hops).toBe(0);
    }
  });

  it('redirects plain HTTP to the TLS port (fixed host) only when asked; one listener without TLS', () => {
    const redirect = render(variant('self-hosted-basic', (s) => void (s.tls.redirectHttp = true)));
    const routes = routesOf(hcms(redirect)[0]!);
    expect(routes).toEqual([{ name: 'https-redirect', match: { prefix: '/' }, redirect: { https_redirect: true, host_redirect: 'localhost', port_redirect: 8443, response_code: 'MOVED_PERMANENTLY' } }]);
    const plain = render(variant('self-hosted-basic', (s) => void (s.tls.local = 'off')));
    expect(plain.static_resources.listeners).toHaveLength(1);
    expect(JSON.stringify(plain)).not.toMatch(/strict-transport-security|DownstreamTlsContext/);
  });

  it('says where the response cache and per-address limits are missing', () => {
    expect(flat(text(scenarioSpec('self-hosted-single')))).toMatch(/cacheTtlSeconds 30 NOT applied: the standard Envoy build has no production-ready response cache/);
    expect(flat(text(variant('kubernetes', (s) => void (s.routes[0]!.rateLimit = { requests: 5, windowSeconds: 1, key: 'ip', burst: 5 }))))).toMatch(/cannot key on the client address/);
  });

  it('puts the admin interface on a free loopback port', () => {
    expect(adminPort(scenarioSpec('self-hosted-basic'))).toBe(15000); // not 9901: the gateway's admin port
    const clash = variant('self-hosted-basic', (s) => void (s.services[0]!.port = 14999)); // instances on 14999 and 15000
    expect(adminPort(clash)).toBe(15001);
    expect(render(clash).admin.address.socket_address.port_value).toBe(15001);
  });

  it('is deterministic and has no absolute paths or timestamps', () => {
    for (const name of SCENARIO_NAMES) {
      const a = text(scenarioSpec(name));
      expect(text(scenarioSpec(name))).toBe(a);
      expect(a.startsWith('# Generated by edgewise')).toBe(true);
      expect(a).not.toMatch(/\/(work|tmp|home|Users)\/|\d{4}-\d{2}-\d{2}T\d{2}/);
    }
  });

  it('validates and runs from the project root with its state under .run/envoy', () => {
    const spec = scenarioSpec('self-hosted-basic');
    expect(envoyTarget.local.validate(spec)).toEqual(['--mode', 'validate', '-c', ENVOY_CONFIG]);
    expect(envoyTarget.local.run(spec)).toContain('--disable-hot-restart');
    expect(envoyTarget.local.dirs).toEqual(['.run/envoy']);
  });
});
