// The Caddy target: golden files, properties of the rendered Caddyfile, `caddy validate` / `caddy
// adapt` with the real binary (Debian's 2.6.2), and an end-to-end run against the sample services.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeSpec } from '../src/spec/schema.js';
import { specSchema } from '../src/spec/schema.js';
import { CADDY_ENV, CADDYFILE, caddyTarget, renderCaddyfile } from '../src/targets/caddy/index.js';
import { upstreamOf } from '../src/targets/caddy/routing.js';
import { INTERMEDIATE } from '../src/targets/caddy/tls-policy.js';
import { expectGolden } from './support/golden.js';
import { http, waitForPort, wsEcho } from './support/net.js';
import { startProcess, stopAll } from './support/proc.js';
import { CTX, SCENARIOS, scenarioSpec, specOf, withRandomPorts } from './support/specs.js';
import { startSampleService, type Running } from '../templates/starter/services/sample-service.js';

const has = (bin: string, args: string[]): boolean => spawnSync(bin, args, { stdio: 'ignore' }).status === 0;
const HAS_CADDY = has('caddy', ['version']);
const HAS_OPENSSL = has('openssl', ['version']);

const render = (spec: EdgeSpec): Promise<string> => renderCaddyfile(spec, CTX);
const variant = (spec: EdgeSpec, tweak: (s: EdgeSpec) => void): EdgeSpec => {
  const s = structuredClone(spec);
  tweak(s);
  return specSchema.parse(s);
};

/** Top-level blocks of a Caddyfile: header line → body (comments dropped; placeholders balance per line). */
function blocks(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let depth = 0;
  let head = '';
  let body: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || line === '') continue;
    const delta = (line.match(/{/g) ?? []).length - (line.match(/}/g) ?? []).length;
    if (depth === 0 && line.endsWith('{')) {
      head = line.slice(0, -1).trim();
      body = [];
    } else if (depth + delta === 0 && line === '}') {
      out.set(head, body.join('\n'));
    } else {
      body.push(line);
    }
    depth += delta;
  }
  return out;
}

/** The body of `handle @route_<name> { … }` inside the routes snippet. */
function handleOf(text: string, route: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `handle @route_${route} {`);
  expect(start, `handle of route ${route}`).toBeGreaterThan(-1);
  let depth = 0;
  const body: string[] = [];
  for (const l of lines.slice(start)) {
    depth += (l.match(/{/g) ?? []).length - (l.match(/}/g) ?? []).length;
    body.push(l.trim());
    if (depth === 0) break;
  }
  return body.join('\n');
}

const SCENARIO_NAMES = Object.keys(SCENARIOS);

describe('caddy target: golden files', () => {
  it.each(SCENARIO_NAMES)('%s', async (name) => {
    expectGolden(name, await caddyTarget.plan(scenarioSpec(name), CTX), 'proxy/caddy/');
  });
});

describe('caddy target: the rendered Caddyfile', () => {
  it.each(SCENARIO_NAMES)('%s: every route, every instance, health checks and limits', async (name) => {
    const spec = scenarioSpec(name);
    const text = await render(spec);
    const top = blocks(text);
    for (const route of spec.routes) {
      expect(text).toContain(`@route_${route.name} path ${route.path} ${route.path}/*`);
      const h = handleOf(text, route.name);
      expect(h).toMatch(new RegExp(`max_size ${route.bodyLimitMb}MiB`));
      expect(h).toMatch(new RegExp(`> ${Math.round(route.bodyLimitMb * 1_048_576)}\``));
      expect(h).toContain(`response_header_timeout ${route.timeoutSeconds}s`);
      expect(h).toContain(`dial_timeout ${spec.limits.connectTimeoutSeconds}s`);
      expect(h).toContain('import strip_identity_headers');
      const up = upstreamOf(spec, route);
      if (up.kind === 'gateway') {
        expect(h).toContain('import pool_gateway');
        expect(h, 'the gateway gets the original path').not.toContain('strip_prefix');
      } else {
        expect(h).toContain(`import pool_service_${route.service}`);
        if (route.stripPrefix) expect(h).toContain(`uri strip_prefix ${route.path}`);
      }
      if (route.grpc) expect(h).toContain('versions h2c 2');
      else expect(h).not.toContain('versions');
      if (route.auth !== 'none') expect(up.kind, 'auth is never enforced by Caddy').toBe('gateway');
    }
    for (const [head, body] of top) {
      const svc = spec.services.find((s) => head === `(pool_service_${s.name})`);
      if (svc) {
        const dials = Array.from({ length: svc.instances }, (_, i) => `127.0.0.1:${svc.port + i}`);
        expect(body).toContain(`to ${dials.join(' ')}`);
        expect(body).toContain(`health_uri ${svc.health}`);
        expect(body).toMatch(/health_interval \d+s/);
        expect(body).toMatch(/health_timeout \d+s/);
        expect(body).toContain('lb_policy round_robin');
      }
      if (head === '(pool_gateway)') {
        const dials = Array.from({ length: spec.gateway.replicas }, (_, i) => `127.0.0.1:${spec.gateway.port + i}`);
        expect(body).toContain(`to ${dials.join(' ')}`);
        expect(body, 'the gateway has no public health endpoint').not.toContain('health_uri');
      }
      if (head.startsWith('(pool_')) {
        expect(body).toMatch(/fail_duration \d+s/);
        expect(body).toMatch(/lb_try_duration \d+s/);
        expect(body, 'no trusted proxies in the spec').not.toContain('trusted_proxies');
      }
    }
    // Each pool the routes use is defined once.
    const used = new Set([...text.matchAll(/import (pool_\S+)/g)].map((m) => m[1]));
    expect([...top.keys()].filter((k) => k.startsWith('(pool_')).map((k) => k.slice(1, -1)).sort()).toEqual([...used].sort());
    expect(top.get('')).toMatch(/read_header \d+s\nread_body \d+s\nidle \d+s/);
    expect(top.get('')).toContain(`max_header_size ${spec.limits.headerKb}KiB`);
    expect(top.get('')).toContain('admin off');
  });

  it.each(SCENARIO_NAMES)('%s: security headers, HSTS only on TLS, Mozilla intermediate', async (name) => {
    const spec = scenarioSpec(name);
    const text = await render(spec);
    const top = blocks(text);
    const sec = top.get('(security_headers)')!;
    for (const h of ['X-Content-Type-Options nosniff', 'X-Frame-Options DENY', 'Referrer-Policy no-referrer', '-Server', 'defer']) expect(sec).toContain(h);
    const tls = top.get('(tls_intermediate)')!;
    expect(tls).toContain(`tls ${spec.tls.certFile} ${spec.tls.keyFile} {`);
    expect(tls).toContain('protocols tls1.2 tls1.3');
    const ciphers = tls.match(/ciphers (.*)/)![1]!.split(' ');
    expect(ciphers).toHaveLength(6);
    for (const c of ciphers) expect(c).toMatch(/^TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_\d+_GCM_SHA\d+|CHACHA20_POLY1305_SHA256)$/);
    let tlsSites = 0;
    for (const [head, body] of top) {
      if (head.startsWith('https://')) {
        tlsSites += 1;
        expect(body).toContain('import tls_intermediate');
        if (body.includes('import routes')) expect(body).toContain(`header Strict-Transport-Security "max-age=${spec.tls.hstsSeconds}"`);
      }
      if (head.startsWith('http://')) expect(body).not.toContain('Strict-Transport-Security');
      if (body.includes('import routes')) {
        expect(body).toContain('import security_headers');
        expect(body).toContain('import access_log');
        expect(body).toContain(`bind ${spec.listen.host}`);
      }
    }
    expect(tlsSites).toBe(2);
    expect(top.get(`http://:${spec.listen.httpPort}`), 'unknown Host on HTTP').toContain('abort');
    expect(top.get(`https://:${spec.listen.httpsPort}`), 'unknown Host on HTTPS').toContain('abort');
  });

  it('says where rate limits and caching are not enforced (GAP) and where the gateway does them', async () => {
    const single = scenarioSpec('self-hosted-single'); // direct to the services, rate limit + cache
    const t1 = await render(single);
    expect(t1.match(/# GAP rate-limit:/g)).toHaveLength(single.routes.filter((r) => r.rateLimit).length);
    expect(t1.match(/# GAP cache:/g)).toHaveLength(single.routes.filter((r) => r.cacheTtlSeconds).length);
    expect(t1).toContain('github.com/mholt/caddy-ratelimit');
    expect(t1).toContain('github.com/caddyserver/cache-handler');
    expect(t1).not.toContain('rate_limit {');
    const full = scenarioSpec('self-hosted-full'); // the gateway behind Caddy does them
    const t2 = await render(full);
    expect(t2).not.toContain('# GAP');
    expect(t2.match(/# GATEWAY rate-limit:/g)).toHaveLength(full.routes.filter((r) => r.rateLimit).length);
    expect(t2.match(/# GATEWAY cache:/g)).toHaveLength(full.routes.filter((r) => r.cacheTtlSeconds).length);
    const basic = await render(scenarioSpec('self-hosted-basic'));
    expect(basic).not.toMatch(/# (GAP|GATEWAY) /);
  });

  it('keeps API keys and query-string tokens out of the access log', async () => {
    const spec = scenarioSpec('aws-lambda');
    const log = blocks(await render(spec)).get('(access_log)')!;
    expect(spec.auth.apiKeys?.header).toBe('x-api-key');
    expect(log).toContain('request>headers>X-Api-Key delete');
    expect(log).toContain('delete access_token');
    expect(log).toContain('output stdout');
  });

  it('trusts X-Forwarded-For only from the spec\'s CIDRs', async () => {
    const spec = variant(scenarioSpec('self-hosted-basic'), (s) => (s.trustedProxies = ['10.0.0.0/8', '2001:db8::/32']));
    const text = await render(spec);
    const pools = [...blocks(text)].filter(([h]) => h.startsWith('(pool_'));
    expect(pools.length).toBeGreaterThan(0);
    for (const [, body] of pools) expect(body).toContain('trusted_proxies 10.0.0.0/8 2001:db8::/32');
    expect(text).not.toContain('private_ranges');
  });

  it('redirects plain HTTP to the fixed HTTPS origin only when tls.redirectHttp', async () => {
    const spec = variant(scenarioSpec('self-hosted-basic'), (s) => (s.tls.redirectHttp = true));
    const site = blocks(await render(spec)).get('http://localhost:8080, http://127.0.0.1:8080')!;
    expect(site).toContain('redir https://localhost:8443{uri} 308');
    expect(site).not.toContain('import routes');
    expect(site).not.toContain('{host}');
  });

  it('serves plain HTTP only when tls.local is off', async () => {
    const text = await render(variant(scenarioSpec('self-hosted-basic'), (s) => (s.tls.local = 'off')));
    expect(text).not.toMatch(/^https:\/\//m);
    expect(text).not.toContain('tls_intermediate');
    expect(text).not.toContain('Strict-Transport-Security');
    expect(blocks(text).get('http://localhost:8080, http://127.0.0.1:8080')).toContain('import routes');
  });

  it('applies methods and header transforms on direct routes, leaves them to the gateway otherwise', async () => {
    const tweak = (s: EdgeSpec): void => {
      s.routes[0]!.methods = ['GET', 'POST'];
      s.routes[0]!.headers = { request: { set: { 'X-Env': 'a b:c/d=e,f+g*h-i' }, remove: ['X-Debug'] }, response: { set: { 'X-Frame-Hint': '1' }, remove: ['X-Powered-By'] } };
    };
    const direct = handleOf(await render(variant(scenarioSpec('self-hosted-basic'), tweak)), 'users');
    expect(direct).toContain('@route_users_method_not_allowed not method GET POST');
    expect(direct).toContain('header @route_users_method_not_allowed Allow "GET, POST"');
    expect(direct).toContain('header_up X-Env "a b:c/d=e,f+g*h-i"');
    expect(direct).toContain('header_up -X-Debug');
    expect(direct).toContain('header_down X-Frame-Hint "1"');
    expect(direct).toContain('header_down -X-Powered-By');
    const viaGateway = handleOf(await render(variant(scenarioSpec('self-hosted-full'), tweak)), 'users');
    expect(viaGateway).not.toContain('method_not_allowed');
    expect(viaGateway).not.toContain('X-Env');
  });

  it('notes that standard Caddy cannot pass TLS through', async () => {
    const text = await render(variant(scenarioSpec('self-hosted-basic'), (s) => (s.tls.mode = 'passthrough')));
    expect(text).toContain('# GAP tls-passthrough:');
  });

  it('is deterministic and has no absolute paths or timestamps', async () => {
    for (const name of SCENARIO_NAMES) {
      const a = await caddyTarget.plan(scenarioSpec(name), CTX);
      expect(await caddyTarget.plan(scenarioSpec(name), CTX)).toEqual(a);
      for (const f of a) {
        expect(f.contents.startsWith('# Generated by edgewise 0.1.0')).toBe(true);
        expect(f.contents).not.toMatch(/(^|\s)\/(work|tmp|home|root|usr|etc)\//);
        expect(f.contents).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
      }
    }
  });

  it('runs from the project root with state under .run/caddy', () => {
    const spec = scenarioSpec('self-hosted-basic');
    expect(caddyTarget.local.validate(spec)).toEqual(['validate', '--config', CADDYFILE, '--adapter', 'caddyfile']);
    expect(caddyTarget.local.run(spec)).toContain('--envfile');
    expect(caddyTarget.local.run(spec).join(' ')).toContain('--pidfile .run/caddy/caddy.pid');
    expect(caddyTarget.local.dirs).toEqual(['.run/caddy']);
    expect(Object.values(CADDY_ENV).every((v) => v === '.run/caddy')).toBe(true);
  });
});

/** A throwaway project dir with the generated files and a self-signed certificate. */
function project(files: { path: string; contents: string }[], spec: EdgeSpec): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgewise-caddy-'));
  for (const f of files) {
    mkdirSync(join(dir, f.path, '..'), { recursive: true });
    writeFileSync(join(dir, f.path), f.contents);
  }
  for (const d of caddyTarget.local.dirs) mkdirSync(join(dir, d), { recursive: true });
  if (spec.tls.local === 'self-signed') {
    mkdirSync(join(dir, spec.tls.certFile, '..'), { recursive: true });
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, spec.tls.keyFile), '-out', join(dir, spec.tls.certFile)], { stdio: 'ignore' });
    expect(r.status, 'openssl').toBe(0);
  }
  return dir;
}

const caddyEnv = (dir: string): NodeJS.ProcessEnv => ({ ...process.env, ...Object.fromEntries(Object.entries(CADDY_ENV).map(([k, v]) => [k, join(dir, v)])) });

const caddy = (dir: string, args: string[]) => {
  const r = spawnSync('caddy', args, { cwd: dir, env: caddyEnv(dir), encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
};

describe.skipIf(!HAS_CADDY || !HAS_OPENSSL)('caddy target: the real caddy binary', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const variants: [string, EdgeSpec][] = [
    ...SCENARIO_NAMES.map((n): [string, EdgeSpec] => [n, scenarioSpec(n)]),
    ['redirect + trusted proxies', variant(scenarioSpec('self-hosted-basic'), (s) => ((s.tls.redirectHttp = true), (s.trustedProxies = ['10.0.0.0/8', '::1'])))],
    ['tls off + methods + grpc service', variant(scenarioSpec('self-hosted-basic'), (s) => ((s.tls.local = 'off'), (s.routes[0]!.methods = ['GET']), (s.services[1]!.protocol = 'grpc')))],
    ['odd names and sizes', variant(scenarioSpec('self-hosted-basic'), (s) => ((s.services[0]!.name = 'user-svc-2'), (s.routes[0]!.service = 'user-svc-2'), (s.routes[0]!.name = 'user-route'), (s.routes[0]!.path = '/v1.2/user_~x'), (s.routes[0]!.bodyLimitMb = 0.5), (s.routes[0]!.timeoutSeconds = 0.25)))],
  ];

  it.each(variants)('%s: caddy validate accepts it, and caddy fmt would not change it', async (_name, spec) => {
    const dir = project(await caddyTarget.plan(spec, CTX), spec);
    dirs.push(dir);
    const v = caddy(dir, caddyTarget.local.validate(spec));
    expect(v.out).toContain('Valid configuration');
    expect(v.code, v.out).toBe(0);
    const fmt = caddy(dir, ['fmt', CADDYFILE]);
    expect(fmt.stdout).toBe(readFileSync(join(dir, CADDYFILE), 'utf8'));
  });

  it('caddy adapt: values reach the JSON config exactly (upstreams, limits, headers, trusted proxies)', async () => {
    const spec = variant(scenarioSpec('self-hosted-basic'), (s) => {
      s.trustedProxies = ['10.0.0.0/8'];
      s.routes[0]!.headers = { request: { set: { 'X-Env': 'a b:c/d=e,f+g*h-i' } } };
      s.routes[0]!.bodyLimitMb = 0.5;
    });
    const dir = project(await caddyTarget.plan(spec, CTX), spec);
    dirs.push(dir);
    const r = caddy(dir, ['adapt', '--config', CADDYFILE, '--adapter', 'caddyfile']);
    expect(r.code, r.out).toBe(0);
    const json = r.stdout;
    const proxies: Record<string, unknown>[] = [];
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === 'object') {
        const o = x as Record<string, unknown>;
        if (o['handler'] === 'reverse_proxy') proxies.push(o);
        Object.values(o).forEach(walk);
      }
    };
    walk(JSON.parse(json));
    const users = proxies.filter((p) => JSON.stringify(p['upstreams']) === JSON.stringify([{ dial: '127.0.0.1:9101' }, { dial: '127.0.0.1:9102' }]));
    expect(users.length, 'users pool on the HTTP and HTTPS sites').toBe(2);
    for (const p of users) {
      expect((p['headers'] as { request: { set: Record<string, string[]> } }).request.set['X-Env']).toEqual(['a b:c/d=e,f+g*h-i']);
      expect(p['trusted_proxies']).toEqual(['10.0.0.0/8']);
      expect((p['health_checks'] as { active: { uri: string } }).active.uri).toBe('/healthz');
    }
    expect(json).toContain('"max_size":524288');
  });
});

describe.skipIf(!HAS_CADDY || !HAS_OPENSSL)('caddy target: end to end on 127.0.0.1', () => {
  let spec: EdgeSpec;
  let dir: string;
  let cert: string;
  let caddyOutput: () => string;
  const services = new Map<string, Running>();

  beforeAll(async () => {
    const base = specOf({ platform: 'self-hosted', services: 2, instances: 'multiple', protocols: ['http', 'websocket'], proxy: 'caddy' });
    spec = await withRandomPorts(base);
    expect(spec.topology.components).not.toContain('ts-gateway');
    const fast = { healthIntervalSeconds: 1, healthTimeoutSeconds: 1, passiveFailSeconds: 2, passiveMaxFails: 1, upstreamKeepaliveSeconds: 60 };
    const files = [...(await caddyTarget.plan(spec, CTX)).filter((f) => f.path !== CADDYFILE), { path: CADDYFILE, contents: await renderCaddyfile(spec, CTX, fast) }];
    dir = project(files, spec);
    cert = readFileSync(join(dir, spec.tls.certFile), 'utf8');
    for (const svc of spec.services) {
      for (let i = 1; i <= svc.instances; i++) services.set(`${svc.name}-${i}`, await startSampleService({ name: svc.name, instance: i, port: svc.port + i - 1, health: svc.health }));
    }
    const proc = startProcess('caddy', caddyTarget.local.run(spec), { cwd: dir, env: caddyEnv(dir) });
    caddyOutput = proc.output;
    try {
      await waitForPort(spec.listen.httpPort);
      await waitForPort(spec.listen.httpsPort);
    } catch (e) {
      throw new Error(`caddy did not start: ${proc.output()}`, { cause: e });
    }
  });

  afterAll(async () => {
    await stopAll();
    await Promise.all([...services.values()].map((s) => s.close()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) => http(spec.listen.httpPort, path, { headers });

  it('routes each prefix to its service, prefix stripped, with the security headers', async () => {
    for (const route of spec.routes.filter((r) => !r.websocket)) {
      const res = await get(`${route.path}/items?x=1`);
      expect(res.status, route.path).toBe(200);
      const body = res.json<{ service: string; path: string; query: string }>();
      expect(body.service).toBe(route.service);
      expect(body.path).toBe('/items');
      expect(body.query).toBe('?x=1');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['server']).toBeUndefined();
      expect(res.headers['strict-transport-security'], 'no HSTS on plain HTTP').toBeUndefined();
    }
    expect((await get('/api/usersx')).status, 'prefix match stops at a segment boundary').toBe(404);
    expect((await get('/nowhere')).status).toBe(404);
  });

  it('alternates requests across the instances', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push(String((await get('/api/orders/')).headers['x-served-by']));
    expect(new Set(seen)).toEqual(new Set(['orders-1', 'orders-2']));
    for (let i = 1; i < seen.length; i++) expect(seen[i], `request ${i}`).not.toBe(seen[i - 1]);
  });

  it('logs each request on stdout without query-string tokens', async () => {
    expect((await get('/api/users/logged?access_token=SECRET-TOKEN-1&page=2')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(caddyOutput()).toContain('/logged?page=2');
    expect(caddyOutput()).not.toContain('SECRET-TOKEN-1');
  });

  it('does not trust a client\'s X-Forwarded-For or identity headers', async () => {
    const body = (await get('/api/users/', { 'x-forwarded-for': '6.6.6.6', 'x-user-id': 'admin' })).json<{ forwardedFor: string; user: unknown }>();
    expect(body.forwardedFor).toBe('127.0.0.1');
    expect(body.user).toBeNull();
  });

  it('refuses bodies over the route limit with 413, before the upstream sees them', async () => {
    const limit = spec.routes[0]!.bodyLimitMb * 1_048_576;
    // Raw socket: Caddy answers from the headers, before the client could finish sending the body.
    const status = await new Promise<string>((resolve, reject) => {
      const s = netConnect(spec.listen.httpPort, '127.0.0.1', () => s.write(`POST /api/users/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${limit + 1}\r\nConnection: close\r\n\r\n`));
      s.once('data', (d: Buffer) => {
        resolve(d.toString().split('\r\n')[0]!);
        s.destroy();
      });
      s.on('error', reject);
    });
    expect(status).toBe('HTTP/1.1 413 Request Entity Too Large');
    expect((await http(spec.listen.httpPort, '/api/users/', { method: 'POST', body: Buffer.alloc(1024) })).status).toBe(200);
  });

  it('closes connections for an unknown Host', async () => {
    await expect(get('/api/users/', { host: 'evil.example' })).rejects.toThrow();
  });

  it('proxies WebSocket upgrades', async () => {
    const ws = spec.routes.find((r) => r.websocket)!;
    expect(await wsEcho(`ws://127.0.0.1:${spec.listen.httpPort}${ws.path}`, 'ping over caddy')).toBe('ping over caddy');
  });

  it('terminates TLS (intermediate only) and sends HSTS there', async () => {
    const res = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port: spec.listen.httpsPort, path: '/api/users/', servername: 'localhost', ca: cert, headers: { host: `localhost:${spec.listen.httpsPort}` } }, (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBe(`max-age=${spec.tls.hstsSeconds}`);
    const handshake = (opts: { ciphers?: string; maxVersion?: 'TLSv1.2' | 'TLSv1.3'; minVersion?: 'TLSv1' | 'TLSv1.2' }) =>
      new Promise<string>((resolve) => {
        const s = tlsConnect({ host: '127.0.0.1', port: spec.listen.httpsPort, servername: 'localhost', ca: cert, ...opts }, () => {
          resolve(s.getCipher().name);
          s.end();
        });
        s.on('error', () => resolve('refused'));
      });
    expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' })).toBe('ECDHE-RSA-AES128-GCM-SHA256');
    // Go accepts this CBC suite by default: refusing it shows the intermediate list is applied.
    expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA' })).toBe('refused');
    expect(INTERMEDIATE.ciphers).not.toContain('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA');
  });

  it('stops sending traffic to a killed instance', async () => {
    await services.get('users-2')!.close();
    services.delete('users-2');
    await new Promise((r) => setTimeout(r, 2500)); // > health_interval + health_timeout
    for (let i = 0; i < 6; i++) {
      const res = await get('/api/users/');
      expect(res.status).toBe(200);
      expect(res.headers['x-served-by']).toBe('users-1');
    }
  });

  it('writes runtime state only under .run/caddy', () => {
    expect(readdirSync(dir).sort()).toEqual(['.run', 'certs', 'proxy']);
    expect(readdirSync(join(dir, '.run'))).toEqual(['caddy']);
    expect(readdirSync(join(dir, 'proxy', 'caddy')).sort()).toEqual(['Caddyfile', 'caddy.env']);
  });
});

