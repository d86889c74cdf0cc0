// loadConfig: edge.yaml as edgewise writes it loads with the EdgeSpec defaults; hand edits that
// break it fail with path-qualified messages; hostile YAML (duplicate keys, alias bombs,
// prototype keys, huge files) is refused before anything starts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { ConfigError, loadConfig } from '../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'edgewise-gw-config-'));
let n = 0;
function file(text: string): string {
  const f = join(dir, `edge-${n++}.yaml`);
  writeFileSync(f, text);
  return f;
}

/** An edge.yaml as edgewise writes it (keys the gateway does not read included). */
const SPEC = {
  version: 1,
  name: 'shop',
  topology: { id: 'gw-only', components: ['ts-gateway'], paths: [{ clients: ['public'], hops: ['ts-gateway'] }] },
  platform: 'self-hosted',
  compute: 'containers',
  proxy: 'nginx',
  targets: ['gateway'],
  listen: { host: '127.0.0.1', httpPort: 8080, httpsPort: 8443, serverName: 'localhost' },
  tls: { mode: 'terminate', local: 'self-signed' },
  trustedProxies: ['10.0.0.0/8'],
  services: [{ name: 'orders', port: 9101, instances: 2, health: '/healthz' }],
  routes: [
    { name: 'orders', path: '/orders', service: 'orders', rateLimit: { requests: 10, windowSeconds: 1, key: 'ip' } },
    { name: 'admin', path: '/admin', service: 'orders', auth: 'jwt', methods: ['GET'], headers: { response: { set: { 'X-Frame-Options': 'DENY' } } } },
  ],
  auth: { jwt: { issuer: 'https://id.example', audience: 'shop', algorithms: ['RS256'], jwksUrl: 'https://id.example/jwks.json' } },
  gateway: { port: 8088 },
};

const issues = (f: string): string[] => {
  try {
    loadConfig(f);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.issues;
  }
  assert.fail('expected a ConfigError');
};

describe('loadConfig', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads an EdgeSpec and applies the same defaults', () => {
    const c = loadConfig(file(stringify(SPEC)));
    assert.equal(c.name, 'shop');
    assert.deepEqual(c.trustedProxies, ['10.0.0.0/8']);
    assert.deepEqual(c.limits, { clientHeaderTimeoutSeconds: 10, clientBodyTimeoutSeconds: 15, idleTimeoutSeconds: 65, connectTimeoutSeconds: 5, headerKb: 16 });
    assert.deepEqual(c.services[0], { name: 'orders', port: 9101, instances: 2, health: '/healthz', protocol: 'http' });
    const r = c.routes[0]!;
    assert.deepEqual([r.stripPrefix, r.auth, r.websocket, r.grpc, r.timeoutSeconds, r.bodyLimitMb], [true, 'none', false, false, 30, 1]);
    assert.deepEqual(r.rateLimit, { requests: 10, windowSeconds: 1, key: 'ip', burst: 0 });
    assert.deepEqual(c.routes[1]!.methods, ['GET']);
    assert.deepEqual(c.auth.jwt?.forwardClaims, ['sub']);
    assert.equal(c.auth.jwt?.clockToleranceSeconds, 0);
    assert.deepEqual(c.gateway, { port: 8088, adminPort: 9901, replicas: 1, loadBalancing: 'round-robin', allowedOrigins: [] });
    assert.ok(c.root && c.root.length > 0, 'root: the directory of edge.yaml');
  });

  it('believes gateway.trustedProxies (the proxy in front) over the edge-wide list', () => {
    const c = loadConfig(file(stringify({ ...SPEC, gateway: { trustedProxies: ['127.0.0.1/32'], adminPort: 9950 } })));
    assert.deepEqual(c.trustedProxies, ['127.0.0.1/32']);
    assert.equal(c.gateway.adminPort, 9950);
  });

  it('accepts the gateway-only service fields host and tls', () => {
    const c = loadConfig(file(stringify({ ...SPEC, services: [{ name: 'orders', port: 443, instances: 1, host: 'orders.internal', tls: true }] })));
    assert.equal(c.services[0]!.host, 'orders.internal');
    assert.equal(c.services[0]!.tls, true);
  });

  const broken: [string, Record<string, unknown>, RegExp][] = [
    ['a route path without a slash', { routes: [{ name: 'a', path: 'orders', service: 'orders' }] }, /^routes\[0\]\.path: /],
    ['a dot segment in a route path', { routes: [{ name: 'a', path: '/a/../b', service: 'orders' }] }, /^routes\[0\]\.path: /],
    ['an unknown route key (a typo)', { routes: [{ name: 'a', path: '/a', service: 'orders', bodyLimitMB: 5 }] }, /^routes\[0\]\.bodyLimitMB: unknown key/],
    ['an unknown service', { routes: [{ name: 'a', path: '/a', service: 'billing' }] }, /^routes\[0\]\.service: unknown service billing/],
    ['duplicate route paths', { routes: [{ name: 'a', path: '/a', service: 'orders' }, { name: 'b', path: '/a', service: 'orders' }] }, /^routes\[1\]\.path: duplicate/],
    ['a port out of range', { services: [{ name: 'orders', port: 70000, instances: 1 }] }, /^services\[0\]\.port: /],
    ['auth: jwt without auth.jwt', { auth: {}, routes: [{ name: 'a', path: '/a', service: 'orders', auth: 'jwt' }] }, /^routes\[0\]\.auth: auth: jwt needs auth\.jwt/],
    ['JWT without algorithms (never defaulted)', { auth: { jwt: { issuer: 'i', audience: 'a', jwksUrl: 'https://x/j' } } }, /^auth\.jwt\.algorithms: /],
    ['JWT alg none', { auth: { jwt: { issuer: 'i', audience: 'a', algorithms: ['none'], jwksUrl: 'https://x/j' } } }, /^auth\.jwt\.algorithms\[0\]: /],
    ['clock tolerance above 300 s', { auth: { jwt: { issuer: 'i', audience: 'a', algorithms: ['RS256'], jwksUrl: 'https://x/j', clockToleranceSeconds: 3600 } } }, /^auth\.jwt\.clockToleranceSeconds: /],
    ['a bad trusted proxy', { trustedProxies: ['10.0.0.0/33'] }, /^trustedProxies\[0\]: /],
    ['a header value with a quote', { routes: [{ name: 'a', path: '/a', service: 'orders', headers: { request: { set: { 'X-A': 'a"b' } } } }] }, /^routes\[0\]\.headers\.request\.set\.X-A: /],
    ['a string where a number belongs', { limits: { headerKb: '16' } }, /^limits\.headerKb: /],
  ];
  for (const [name, patch, re] of broken) {
    it(`refuses ${name}`, () => {
      const got = issues(file(stringify({ ...SPEC, ...patch })));
      assert.ok(
        got.some((i) => re.test(i)),
        got.join('\n'),
      );
    });
  }

  it('refuses duplicate keys, alias bombs, prototype keys, non-mappings and huge files', () => {
    assert.match(issues(file('name: a\nname: b\n')).join(), /unique/i);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const t0 = Date.now();
    assert.ok(issues(file(bomb.join('\n') + '\n')).length > 0);
    assert.ok(Date.now() - t0 < 1000);
    assert.match(issues(file(`${stringify(SPEC)}__proto__:\n  polluted: true\n`)).join(), /__proto__/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(issues(file('- just\n- a list\n')).length > 0);
    assert.match(issues(file(`# ${'x'.repeat(1024 * 1024 + 10)}\n`)).join(), /larger than/);
    assert.match(issues(join(dir, 'missing.yaml')).join(), /cannot read/);
  });
});
