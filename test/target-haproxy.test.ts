// The HAProxy target: golden files, properties of the rendered haproxy.cfg, `haproxy -c` on every
// scenario, and an end-to-end run of the real binary in front of the sample services.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect as h2connect } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedFile } from '../src/io/writer.js';
import type { EdgeSpec } from '../src/spec/schema.js';
import { specSchema } from '../src/spec/schema.js';
import { CONFIG_PATH, RUN_DIR, combinedPemPath, haproxyTarget, planHaproxy } from '../src/targets/haproxy/index.js';
import { startSampleService, type Running } from '../templates/starter/services/sample-service.js';
import { expectGolden } from './support/golden.js';
import { http, waitForPort, wsEcho } from './support/net.js';
import { startProcess, stopAll, type Proc } from './support/proc.js';
import { CTX, SCENARIOS, scenarioSpec, specOf, withRandomPorts } from './support/specs.js';

const has = (bin: string, args: string[]): boolean => spawnSync(bin, args, { stdio: 'ignore' }).status === 0;
const HAVE_HAPROXY = has('haproxy', ['-v']);
const HAVE_OPENSSL = has('openssl', ['version']);

const cfgOf = async (spec: EdgeSpec): Promise<string> => {
  const files = await haproxyTarget.plan(spec, CTX);
  return files.find((f) => f.path === CONFIG_PATH)!.contents;
};

/** The lines of one section ("backend route-users"), comments and blanks dropped. */
function section(cfg: string, header: string): string[] {
  const lines = cfg.split('\n');
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`no section ${header}`);
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l !== '' && !l.startsWith(' ')) break;
    const t = l.replace(/\s+#.*$/, '').trim();
    if (t && !t.startsWith('#')) out.push(t);
  }
  return out;
}

/** A spec edited by hand (as in edge.yaml), re-validated by the schema. */
function edited(base: EdgeSpec, edit: (s: EdgeSpec) => void): EdgeSpec {
  const s = structuredClone(base);
  edit(s);
  return specSchema.parse(s);
}

/** Writes the plan into a fresh project dir with a throwaway self-signed certificate. */
function projectDir(files: readonly PlannedFile[], spec: EdgeSpec): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgewise-haproxy-'));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.contents);
  }
  for (const d of haproxyTarget.local.dirs) mkdirSync(join(dir, d), { recursive: true });
  if (spec.tls.local === 'self-signed') {
    mkdirSync(dirname(join(dir, spec.tls.certFile)), { recursive: true });
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', spec.tls.keyFile, '-out', spec.tls.certFile], { cwd: dir, stdio: 'ignore' });
    if (r.status !== 0) throw new Error('openssl could not create a test certificate');
    // What `npm run dev` does: HAProxy wants certificate and key in one PEM.
    writeFileSync(join(dir, combinedPemPath(spec.tls.certFile)), readFileSync(join(dir, spec.tls.certFile), 'utf8') + readFileSync(join(dir, spec.tls.keyFile), 'utf8'), { mode: 0o600 });
  }
  return dir;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** A spec that exercises what the scenarios do not: trusted proxies, redirect, methods, transforms, a root route, a gRPC service, small headers. */
const variantSpec = (): EdgeSpec =>
  edited(scenarioSpec('self-hosted-basic'), (s) => {
    s.trustedProxies = ['10.0.0.0/8', '192.168.1.10'];
    s.tls.redirectHttp = true;
    s.limits.headerKb = 8;
    s.services.push({ name: 'greeter', port: 9201, instances: 2, health: '/healthz', protocol: 'grpc', sticky: false });
    s.services[0]!.sticky = true;
    s.routes[0]!.cacheTtlSeconds = 60;
    s.routes[0]!.methods = ['GET', 'POST'];
    s.routes[0]!.headers = { request: { set: { 'X-Edge': 'haproxy 1' }, remove: ['X-Debug'] }, response: { set: { 'Cache-Control': 'no-store' }, remove: ['X-Internal'] } };
    s.routes[0]!.rateLimit = { requests: 5, windowSeconds: 10, key: 'ip', burst: 2 };
    s.routes.push({ name: 'root', path: '/', service: 'orders', stripPrefix: true, auth: 'none', websocket: false, grpc: false, timeoutSeconds: 2.5, bodyLimitMb: 0.5 });
    s.routes.push({ name: 'greet', path: '/greeter.v1.Greeter', service: 'greeter', stripPrefix: false, auth: 'none', websocket: false, grpc: true, timeoutSeconds: 30, bodyLimitMb: 4 });
  });

describe('haproxy target: golden files', () => {
  for (const name of Object.keys(SCENARIOS)) {
    it(`${name}`, async () => {
      expectGolden(name, await haproxyTarget.plan(scenarioSpec(name), CTX), 'proxy/haproxy/');
    });
  }
});

describe('haproxy target: the rendered config', () => {
  it('plans one file, starting with the provenance header, deterministic, without absolute paths', async () => {
    const spec = scenarioSpec('self-hosted-full');
    const a = await haproxyTarget.plan(spec, CTX);
    const b = await haproxyTarget.plan(spec, CTX);
    expect(a.map((f) => f.path)).toEqual([CONFIG_PATH]);
    expect(a[0]!.contents).toBe(b[0]!.contents);
    expect(a[0]!.contents.startsWith('# Generated by edgewise')).toBe(true);
    expect(a[0]!.contents).not.toMatch(/\/(tmp|home|work|Users|root)\//);
    expect(a[0]!.contents).not.toMatch(/\d{4}-\d{2}-\d{2}T|\b20\d\d-\d\d-\d\d\b/);
  });

  it('routes every path to its backend, longest prefix first, and lists every instance', async () => {
    const spec = scenarioSpec('self-hosted-basic');
    const cfg = await cfgOf(spec);
    const fe = section(cfg, 'frontend edge');
    for (const r of spec.routes) {
      expect(fe).toContain(`acl route-${r.name} path ${r.path}`);
      expect(fe).toContain(`acl route-${r.name} path_beg ${r.path}/`);
      expect(fe).toContain(`use_backend route-${r.name} if route-${r.name}`);
      const be = section(cfg, `backend route-${r.name}`);
      const svc = spec.services.find((s) => s.name === r.service)!;
      expect(be).toContain('balance roundrobin');
      expect(be).toContain(`timeout server ${r.timeoutSeconds}s`);
      for (let i = 0; i < svc.instances; i++) {
        expect(be).toContain(`server ${svc.name}-${i + 1} 127.0.0.1:${svc.port + i} track pool-${svc.name}/${svc.name}-${i + 1}`);
        expect(section(cfg, `backend pool-${svc.name}`)).toContain(`server ${svc.name}-${i + 1} 127.0.0.1:${svc.port + i}`);
      }
      // the prefix is stripped for the service
      expect(be).toContain(`http-request set-path %[path,bytes(${r.path.length})] if { path_beg ${r.path}/ }`);
    }
    expect(fe[fe.length - 1]).toBe('default_backend no-route');

    const v = variantSpec();
    const order = section(await cfgOf(v), 'frontend edge').filter((l) => l.startsWith('use_backend'));
    expect(order[order.length - 1]).toBe('use_backend route-root if route-root');
    expect(section(await cfgOf(v), 'frontend edge')).toContain('acl route-root path_beg /');
  });

  it('checks every pool actively and the route backends track the checked servers', async () => {
    const spec = scenarioSpec('self-hosted-basic');
    const cfg = await cfgOf(spec);
    for (const svc of spec.services) {
      const pool = section(cfg, `backend pool-${svc.name}`);
      expect(pool).toContain('option httpchk');
      expect(pool).toContain(`http-check send meth GET uri ${svc.health} ver HTTP/1.1 hdr Host localhost`);
      expect(pool).toContain('http-check expect status 200');
      expect(pool).toContain('default-server check inter 2s fall 3 rise 2');
    }
    const fast = (await planHaproxy(spec, CTX, { health: { interMs: 200, fall: 2, rise: 1 } }))[0]!.contents;
    expect(section(fast, 'backend pool-users')).toContain('default-server check inter 200ms fall 2 rise 1');
    // a gRPC service gets a TCP check and says why
    const v = await cfgOf(variantSpec());
    expect(section(v, 'backend pool-greeter')).not.toContain('option httpchk');
    expect(v).toMatch(/NOT EXPRESSED: HAProxy 2\.6 cannot call grpc\.health\.v1/);
  });

  it('sets every timeout, header and body limits, and hardening directives', async () => {
    const spec = scenarioSpec('self-hosted-full');
    const cfg = await cfgOf(spec);
    const defaults = section(cfg, 'defaults');
    for (const t of ['http-request 10s', 'client 15s', 'http-keep-alive 65s', 'connect 5s', 'queue 5s', 'server 30s', 'tunnel 65s', 'client-fin 10s', 'check 2s']) {
      expect(defaults).toContain(`timeout ${t}`);
    }
    expect(defaults).toContain('option http-restrict-req-hdr-names reject');
    expect(defaults).toContain('retry-on conn-failure');
    const global = section(cfg, 'global');
    expect(global).toContain('log stdout format raw local0 info');
    expect(global).toContain('hard-stop-after 30s');
    expect(global).toContain('maxconn 4096');
    expect(global).toContain('tune.bufsize 17408');
    expect(global).toContain(`pidfile ${RUN_DIR}/haproxy.pid`);
    expect(global).toContain(`stats socket unix@${RUN_DIR}/admin.sock mode 600 level admin`);
    expect(global).not.toContain('daemon');
    // stats and admin never on a TCP listener; only the spec's two listeners exist
    expect(cfg).not.toMatch(/^\s*stats (enable|uri|admin)/m);
    expect(cfg.match(/^\s*bind .*/gm)).toEqual(['    bind 127.0.0.1:8080', '    bind 127.0.0.1:8443 ssl crt certs/server.pem alpn h2,http/1.1']);
    for (const r of spec.routes) {
      expect(section(cfg, `backend route-${r.name}`)).toContain(`http-request deny deny_status 413 if { req.hdr_val(content-length) gt ${r.bodyLimitMb * 1024 * 1024} }`);
      if (r.websocket) expect(section(cfg, `backend route-${r.name}`)).toContain(`timeout tunnel ${r.timeoutSeconds}s`);
      else expect(section(cfg, `backend route-${r.name}`)).toContain('http-request deny deny_status 403 if { req.hdr(upgrade) -m found }');
    }
    // headers below 15 KB cannot be enforced with HTTP/2 on: said so, not dropped
    const v = await cfgOf(variantSpec());
    expect(section(v, 'global')).toContain('tune.bufsize 16384');
    expect(v).toMatch(/NOT EXPRESSED: 8 KB is below what HAProxy can enforce/);
  });

  it('terminates TLS per Mozilla intermediate, with HSTS only on the TLS listener', async () => {
    const cfg = await cfgOf(scenarioSpec('self-hosted-basic'));
    const global = section(cfg, 'global');
    expect(global).toContain('ssl-default-bind-options prefer-client-ciphers ssl-min-ver TLSv1.2 no-tls-tickets');
    expect(global).toContain('ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256');
    const ciphers = global.find((l) => l.startsWith('ssl-default-bind-ciphers '))!.split(' ')[1]!.split(':');
    expect(ciphers).toHaveLength(6);
    for (const c of ciphers) expect(c).toMatch(/^ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
    expect(cfg).not.toMatch(/(?<![A-Z])DHE-|dh-param|TLSv1\.[01]\b/);
    const fe = section(cfg, 'frontend edge');
    expect(fe).toContain('http-after-response set-header Strict-Transport-Security "max-age=63072000" if { ssl_fc }');
    for (const h of ['X-Content-Type-Options nosniff', 'X-Frame-Options DENY', 'Referrer-Policy no-referrer']) expect(fe).toContain(`http-after-response set-header ${h}`);
    expect(fe).toContain('http-after-response del-header Server');
    expect(fe.some((l) => l.startsWith('http-request redirect'))).toBe(false);

    const off = await cfgOf(edited(scenarioSpec('self-hosted-basic'), (s) => void (s.tls.local = 'off')));
    expect(off).not.toMatch(/ssl|Strict-Transport-Security/);
    expect(off).not.toMatch(/^\s*bind .*8443/m);

    const redirect = section(await cfgOf(variantSpec()), 'frontend edge');
    expect(redirect).toContain('http-request redirect location https://localhost:8443%[pathq] code 301 unless { ssl_fc }');
  });

  it('keeps X-Forwarded-For only from trusted proxies and rate-limits on the address, never a header', async () => {
    const plain = section(await cfgOf(scenarioSpec('self-hosted-single')), 'frontend edge');
    expect(plain).toContain('http-request del-header X-Forwarded-For');
    expect(plain).toContain('option forwardfor');
    expect(plain.join('\n')).not.toMatch(/if-none/);

    const cfg = await cfgOf(variantSpec());
    const fe = section(cfg, 'frontend edge');
    expect(fe).toContain('acl from-trusted-proxy src 10.0.0.0/8 192.168.1.10');
    expect(fe).toContain('http-request del-header X-Forwarded-For unless from-trusted-proxy');
    expect(fe).toContain('http-request set-var(txn.client_ip) src');
    expect(fe).toContain('http-request set-var(txn.client_ip) req.hdr_ip(X-Forwarded-For,-1) if from-trusted-proxy { req.hdr(X-Forwarded-For) -m found }');
    const be = section(cfg, 'backend route-users');
    expect(be).toContain('http-request track-sc0 var(txn.client_ip),ipmask(32,64) table ratelimit-users');
    expect(be).toContain(`http-request deny deny_status 429 content-type application/json string '{"error":"rate_limited"}' hdr Retry-After 10 if { sc_http_req_rate(0,ratelimit-users) gt 7 }`);
    expect(section(cfg, 'backend ratelimit-users')).toEqual(['stick-table type ipv6 size 100k expire 20s store http_req_rate(10s)']);
    for (const l of cfg.split('\n').filter((x) => /track-sc/.test(x))) expect(l).not.toMatch(/hdr|X-Forwarded/i);

    const global = await cfgOf(scenarioSpec('self-hosted-single'));
    expect(section(global, 'backend route-users')).toContain('http-request track-sc0 int(1) table ratelimit-users');
    expect(section(global, 'backend ratelimit-users')).toEqual(['stick-table type integer size 1 expire 10s store http_req_rate(1s)']);
  });

  it('caches direct routes in a small RAM cache, keyed before the rewrite, never cookies or credentials', async () => {
    const cfg = await cfgOf(scenarioSpec('self-hosted-single'));
    expect(section(cfg, 'cache ttl-30s')).toEqual(['total-max-size 32', 'max-object-size 1048576', 'max-age 30', 'process-vary off']);
    const be = section(cfg, 'backend route-users');
    const use = be.indexOf('http-request cache-use ttl-30s if { var(txn.cacheable) -m bool }');
    expect(use).toBeGreaterThan(-1);
    expect(use).toBeLessThan(be.findIndex((l) => l.startsWith('http-request set-path')));
    expect(be).toContain('http-request set-var(txn.cacheable) bool(true) if { method GET } !{ req.hdr(cookie) -m found } !{ req.hdr(authorization) -m found }');
    expect(be).toContain('http-response cache-store ttl-30s if { var(txn.cacheable) -m bool } { status 200 } !{ res.hdr(set-cookie) -m found }');
    expect(cfg).toMatch(/A small RAM cache for small objects: at most 1 MB each/);
  });

  it('sends auth routes and every route of a ts-gateway topology through the gateway, never caching in front of it', async () => {
    const full = scenarioSpec('self-hosted-full');
    const cfg = await cfgOf(full);
    // the gateway's /healthz is on its admin port, which edge.yaml does not hold: a TCP check, said so
    expect(cfg).toMatch(/NOT EXPRESSED: an HTTP check of the gateway/);
    expect(section(cfg, 'backend gateway-pool')).toEqual([
      'default-server check inter 2s fall 3 rise 2',
      'server gateway-1 127.0.0.1:8088',
      'server gateway-2 127.0.0.1:8089',
    ]);
    for (const r of full.routes) {
      const be = section(cfg, `backend route-${r.name}`);
      expect(be.filter((l) => l.startsWith('server ')).every((l) => / track gateway-pool\/gateway-\d/.test(l))).toBe(true);
      expect(be.some((l) => /cache-use|set-path/.test(l))).toBe(false);
    }
    expect(cfg).not.toMatch(/^cache /m);
    // per-client limits are the gateway's
    expect(cfg).not.toMatch(/track-sc/);
    // no ts-gateway in the topology, but jwt routes: still through the gateway
    const jwt = scenarioSpec('aws-containers-jwt');
    expect(jwt.topology.components).not.toContain('ts-gateway');
    const jcfg = await cfgOf(jwt);
    for (const r of jwt.routes) expect(section(jcfg, `backend route-${r.name}`)).toContain('server gateway-1 127.0.0.1:8088 track gateway-pool/gateway-1');
    expect(jcfg).not.toMatch(/^backend pool-/m);
  });

  it('speaks HTTP/2 to gRPC upstreams and applies methods and header transforms on direct routes', async () => {
    const cfg = await cfgOf(variantSpec());
    expect(section(cfg, 'backend route-greet')).toContain('server greeter-1 127.0.0.1:9201 track pool-greeter/greeter-1 proto h2');
    const be = section(cfg, 'backend route-users');
    expect(be).toContain('http-request deny deny_status 405 hdr Allow "GET, POST" unless { method GET POST }');
    expect(be).toContain('http-request set-header X-Edge "haproxy 1"');
    expect(be).toContain('http-request del-header X-Debug');
    expect(be).toContain('http-response set-header Cache-Control "no-store"');
    expect(be).toContain('http-response del-header X-Internal');
    expect(section(cfg, 'backend route-root')).toContain('timeout server 2500ms');
    expect(section(cfg, 'backend route-root').some((l) => l.startsWith('http-request set-path'))).toBe(false);
  });

  it('pins clients of a sticky service with a cookie, and still caches for them', async () => {
    const cfg = await cfgOf(variantSpec());
    const be = section(cfg, 'backend route-users');
    expect(be).toContain('cookie SERVERID insert indirect nocache httponly secure');
    expect(be).toContain('server users-1 127.0.0.1:9101 track pool-users/users-1 cookie users-1');
    expect(be).toContain(`http-request set-var(txn.cacheable) bool(true) if { method GET } { req.hdr_cnt(cookie) eq 1 } { req.fhdr(cookie) -m reg '^SERVERID=[A-Za-z0-9-]+$' } !{ req.hdr(authorization) -m found }`);
    expect(section(cfg, 'backend route-orders').some((l) => l.startsWith('cookie '))).toBe(false);
  });

  it('says what it cannot express instead of dropping it', async () => {
    const cfg = await cfgOf(scenarioSpec('self-hosted-basic'));
    expect(section(cfg, 'backend route-users')).toBeDefined();
    expect(cfg).not.toMatch(/^\s*cookie /m);
    expect(await cfgOf(scenarioSpec('self-hosted-full'))).toMatch(/Sticky sessions for service users are the gateway's/);
    expect(cfg).toMatch(/NOT EXPRESSED: body limits are checked against the declared Content-Length/);
    const pass = await cfgOf(edited(scenarioSpec('self-hosted-basic'), (s) => void (s.tls.mode = 'passthrough')));
    expect(pass).toMatch(/NOT EXPRESSED: tls\.mode passthrough/);
  });

  it('runs from the project root with state under .run/haproxy', () => {
    const spec = scenarioSpec('self-hosted-basic');
    expect(haproxyTarget.local.bin).toBe('haproxy');
    expect(haproxyTarget.local.validate(spec)).toEqual(['-c', '-f', CONFIG_PATH]);
    expect(haproxyTarget.local.run(spec)).toEqual(['-db', '-f', CONFIG_PATH]);
    expect(haproxyTarget.local.dirs).toEqual([RUN_DIR]);
    expect(combinedPemPath(spec.tls.certFile)).toBe('certs/server.pem');
  });
});

describe.skipIf(!HAVE_HAPROXY || !HAVE_OPENSSL)('haproxy -c accepts the generated config', () => {
  const cases: [string, () => EdgeSpec][] = [
    ...Object.keys(SCENARIOS).map((n): [string, () => EdgeSpec] => [n, () => scenarioSpec(n)]),
    ['variants (trusted proxies, redirect, gRPC service, transforms, root route)', variantSpec],
    ['tls off', () => edited(scenarioSpec('self-hosted-full'), (s) => void (s.tls.local = 'off'))],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const spec = make();
      const dir = projectDir(await haproxyTarget.plan(spec, CTX), spec);
      tempDirs.push(dir);
      const r = spawnSync(haproxyTarget.local.bin, haproxyTarget.local.validate(spec), { cwd: dir, encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/\[(WARNING|ALERT)\]/);
    });
  }
});

/** `show stat` on the runtime API socket: "backend/server" → status. */
function serverStatus(socket: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const s = netConnect(socket);
    let out = '';
    s.on('connect', () => s.write('show stat\n'));
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('error', reject);
    s.on('end', () => {
      const rows = out.split('\n').filter((l) => l && !l.startsWith('#'));
      resolve(new Map(rows.map((l) => l.split(',')).map((f) => [`${f[0]}/${f[1]}`, f[17] ?? ''])));
    });
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One GET with `Connection: close` from a chosen loopback address; resolves with the JSON body. */
function getFrom(localAddress: string, port: number, path: string, headers: Record<string, string>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const s = netConnect({ port, host: '127.0.0.1', localAddress });
    let out = '';
    const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    s.on('connect', () => s.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n${head}Connection: close\r\n\r\n`));
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('error', reject);
    s.on('end', () => resolve(JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>));
  });
}

/** Writes raw bytes, resolves with the status code of the first response line. */
function rawStatus(port: number, bytes: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netConnect(port, '127.0.0.1');
    let out = '';
    s.on('connect', () => s.write(bytes));
    s.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(out);
      if (m) {
        s.destroy();
        resolve(Number(m[1]));
      }
    });
    s.on('error', reject);
    s.on('close', () => reject(new Error(`closed without a status line: ${JSON.stringify(out)}`)));
  });
}

function h2get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const client = h2connect(`http://127.0.0.1:${port}`);
    client.on('error', reject);
    const req = client.request({ ':path': path });
    let status = 0;
    let body = '';
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      client.close();
      resolve({ status, body });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A TLS handshake with the listener: the negotiated protocol and ALPN, or the error code. */
function handshake(port: number, opts: ConnectionOptions): Promise<{ protocol?: string | null; alpn?: string | false | null; error?: string }> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false, ...opts }, () => {
      resolve({ protocol: s.getProtocol(), alpn: s.alpnProtocol });
      s.end();
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
}

function httpsGet(port: number, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, rejectUnauthorized: false, agent: false, servername: 'localhost' }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const ORDERS_LIMIT = 10;

describe.skipIf(!HAVE_HAPROXY || !HAVE_OPENSSL)('haproxy end to end (real binary on 127.0.0.1)', () => {
  let spec: EdgeSpec;
  let dir: string;
  let proxy: Proc;
  const services = new Map<string, Running>();
  let port: number;

  beforeAll(async () => {
    const base = specOf({ platform: 'self-hosted', services: 2, instances: 'multiple', protocols: ['http', 'websocket'], rateLimit: 'global', caching: true, proxy: 'haproxy' });
    spec = await withRandomPorts(base, (s) => {
      for (const r of s.routes) if (r.rateLimit) r.rateLimit = { requests: 1000, windowSeconds: 60, key: 'global', burst: 0 };
      s.routes.find((r) => r.name === 'orders')!.rateLimit = { requests: ORDERS_LIMIT, windowSeconds: 60, key: 'global', burst: 0 };
      s.services.find((x) => x.name === 'orders')!.sticky = true;
      // 127.0.0.2 plays a trusted load balancer; tests connect from 127.0.0.1 as an ordinary client.
      s.trustedProxies = ['127.0.0.2'];
    });
    expect(spec.topology.components).not.toContain('ts-gateway');
    port = spec.listen.httpPort;
    for (const svc of spec.services) {
      for (let i = 0; i < svc.instances; i++) services.set(`${svc.name}-${i + 1}`, await startSampleService({ name: svc.name, instance: i + 1, port: svc.port + i }));
    }
    const files = await planHaproxy(spec, CTX, { health: { interMs: 200, fall: 2, rise: 1 } });
    dir = projectDir(files, spec);
    tempDirs.push(dir);
    proxy = startProcess(haproxyTarget.local.bin, haproxyTarget.local.run(spec), { cwd: dir });
    try {
      await waitForPort(port);
      await waitForPort(spec.listen.httpsPort);
    } catch (e) {
      throw new Error(`haproxy did not start: ${String(e)}\n${proxy.output()}`);
    }
  });

  afterAll(async () => {
    await stopAll();
    await Promise.all([...services.values()].map((s) => s.close()));
  });

  it('keeps its pid file and a owner-only admin socket under .run/haproxy', async () => {
    await until('pid file', async () => (existsSync(join(dir, RUN_DIR, 'haproxy.pid')) ? true : undefined));
    expect(statSync(join(dir, RUN_DIR, 'admin.sock')).mode & 0o777).toBe(0o600);
    const status = await serverStatus(join(dir, RUN_DIR, 'admin.sock'));
    expect(status.get('pool-users/users-1')).toMatch(/^UP/);
  });

  it('routes each path to its service, with the prefix stripped', async () => {
    for (const name of ['users', 'orders']) {
      const r = await http(port, `/api/${name}/hello?x=1`);
      expect(r.status, proxy.output()).toBe(200);
      expect(r.json().service).toBe(name);
      expect(r.json().path).toBe('/hello');
      expect(r.json().query).toBe('?x=1');
    }
    expect((await http(port, '/api/users')).json().path).toBe('/');
    const miss = await http(port, '/api/usersx');
    expect(miss.status).toBe(404);
    expect(miss.json()).toEqual({ error: 'not_found' });
  });

  it('alternates requests across the instances (round robin)', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push(String((await http(port, `/api/users/rr?n=${i}`)).headers['x-served-by']));
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
    expect(new Set(seen)).toEqual(new Set(['users-1', 'users-2']));
  });

  it('serves a cache hit for a cacheable GET, and never for a request with a Cookie', async () => {
    const a = await http(port, '/api/users/cached');
    const b = await http(port, '/api/users/cached');
    expect(b.json().served).toBe(a.json().served);
    expect(b.json().servedBy).toBe(a.json().servedBy);
    expect(b.headers.age).toBeDefined();
    const c = await http(port, '/api/users/private', { headers: { cookie: 'session=1' } });
    const d = await http(port, '/api/users/private', { headers: { cookie: 'session=1' } });
    expect([c.json().servedBy, c.json().served]).not.toEqual([d.json().servedBy, d.json().served]);
  });

  it('pins a client of a sticky service to one instance with the SERVERID cookie', async () => {
    const first = await http(port, '/api/orders/sticky?n=0');
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(/^SERVERID=orders-[12]$/);
    for (let i = 1; i < 4; i++) {
      const r = await http(port, `/api/orders/sticky?n=${i}`, { headers: { cookie } });
      expect(r.headers['x-served-by']).toBe(cookie.split('=')[1]);
      expect(r.json().served).toBeGreaterThan(0);
    }
  });

  it('over HTTP/2 without TLS (h2c) too', async () => {
    const r = await h2get(port, '/api/orders/h2');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).path).toBe('/h2');
  });

  it('replaces a spoofed X-Forwarded-For with the socket address', async () => {
    const r = await http(port, '/api/users/xff?n=1', { headers: { 'x-forwarded-for': '6.6.6.6' } });
    expect(r.json().forwardedFor).toBe('127.0.0.1');
    const bad = await http(port, '/api/users/xff?n=2', { headers: { 'x_forwarded-for': '6.6.6.6' } });
    expect(bad.status).toBe(403);
  });

  it.skipIf(process.platform !== 'linux')('keeps X-Forwarded-For from a trusted proxy and appends its address', async () => {
    const body = await getFrom('127.0.0.2', port, '/api/users/xff?n=3', { 'X-Forwarded-For': '203.0.113.7' });
    expect(body.forwardedFor).toBe('203.0.113.7, 127.0.0.2');
  });

  it('proxies a WebSocket echo on the ws route, and refuses upgrades elsewhere', async () => {
    expect(await wsEcho(`ws://127.0.0.1:${port}/ws`, 'ping')).toBe('ping');
    await expect(wsEcho(`ws://127.0.0.1:${port}/api/users/ws`, 'ping')).rejects.toThrow(/403/);
    // Origin allow-list (gateway.allowedOrigins) on a direct WebSocket route
    expect(await wsEcho(`ws://127.0.0.1:${port}/ws`, 'ok', { origin: spec.gateway.allowedOrigins[0]! })).toBe('ok');
    await expect(wsEcho(`ws://127.0.0.1:${port}/ws`, 'ping', { origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('answers 413 to a body over the route limit, 400 to an ambiguous path', async () => {
    const limit = spec.routes[0]!.bodyLimitMb * 1024 * 1024;
    // Raw socket: HAProxy answers as soon as it sees the header, and a client still writing the body would get EPIPE.
    expect(await rawStatus(port, `POST /api/users/upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${limit + 1}\r\n\r\nxyz`)).toBe(413);
    expect(await rawStatus(port, `POST /api/users/upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nConnection: close\r\n\r\nxyz`)).toBe(200);
    expect((await http(port, '/api/users/a/../b')).status).toBe(400);
    expect((await http(port, '/api/users/%2e%2e/orders')).status).toBe(400);
  });

  it('adds security headers (HSTS only over TLS) and hides the server', async () => {
    const r = await http(port, '/api/users/h?plain');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers.server).toBeUndefined();
    expect(r.headers['strict-transport-security']).toBeUndefined();
    const s = await httpsGet(spec.listen.httpsPort, '/api/users/h?tls');
    expect(s.status).toBe(200);
    expect(s.headers['strict-transport-security']).toBe(`max-age=${spec.tls.hstsSeconds}`);
  });

  it('negotiates only TLS 1.2/1.3 with ECDHE AEAD suites, and h2 by ALPN', async () => {
    const tlsPort = spec.listen.httpsPort;
    expect(await handshake(tlsPort, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ALPNProtocols: ['h2', 'http/1.1'] })).toEqual({ protocol: 'TLSv1.2', alpn: 'h2' });
    expect((await handshake(tlsPort, { minVersion: 'TLSv1.3' })).protocol).toBe('TLSv1.3');
    // the server's alerts: protocol_version for TLS 1.1, handshake_failure for DHE or CBC suites
    expect((await handshake(tlsPort, { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' })).error).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    expect((await handshake(tlsPort, { maxVersion: 'TLSv1.2', ciphers: 'DHE-RSA-AES128-GCM-SHA256' })).error).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
    expect((await handshake(tlsPort, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA256' })).error).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });

  it('answers 429 past the rate limit, whatever X-Forwarded-For says', async () => {
    const statuses: number[] = [];
    let last = await http(port, '/api/orders/limited?n=0');
    statuses.push(last.status);
    for (let i = 1; i < 10; i++) {
      last = await http(port, `/api/orders/limited?n=${i}`, { headers: { 'x-forwarded-for': `10.0.0.${i}` } });
      statuses.push(last.status);
    }
    const first429 = statuses.indexOf(429);
    expect(first429, statuses.join(',')).toBeGreaterThan(0);
    expect(statuses.slice(first429).every((s) => s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeLessThan(ORDERS_LIMIT);
    expect(last.headers['retry-after']).toBe('60');
    expect(last.json()).toEqual({ error: 'rate_limited' });
    expect(last.headers['x-content-type-options']).toBe('nosniff');
  });

  it('stops sending traffic to a killed instance once the active check marks it down', async () => {
    await services.get('users-2')!.close();
    const socket = join(dir, RUN_DIR, 'admin.sock');
    await until('users-2 marked down', async () => {
      const st = await serverStatus(socket);
      return st.get('pool-users/users-2')?.startsWith('DOWN') && st.get('route-users/users-2')?.startsWith('DOWN') ? true : undefined;
    });
    for (let i = 0; i < 6; i++) {
      const r = await http(port, `/api/users/after-kill?n=${i}`);
      expect(r.status).toBe(200);
      expect(r.headers['x-served-by']).toBe('users-1');
    }
    expect(proxy.output()).toMatch(/Server pool-users\/users-2 is DOWN/);
  });
});
