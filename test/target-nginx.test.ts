// The nginx target: golden files, properties of the rendered config, `nginx -t` for every scenario
// and variant, and an end-to-end run of the real nginx in front of the sample services.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedFile } from '../src/io/writer.js';
import { specSchema, type EdgeSpec } from '../src/spec/schema.js';
import { nginxTarget } from '../src/targets/nginx/index.js';
import { duration, rate, size, wrap } from '../src/targets/nginx/units.js';
import { provenance } from '../src/targets/render.js';
import { startSampleService, type Running } from '../templates/starter/services/sample-service.js';
import { expectGolden } from './support/golden.js';
import { http, waitForPort, wsEcho } from './support/net.js';
import { startProcess, stopAll } from './support/proc.js';
import { CTX, SCENARIOS, scenarioSpec, specOf, withRandomPorts } from './support/specs.js';

const findBin = (bin: string): string | undefined =>
  [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin'].map((d) => join(d, bin)).find((p) => existsSync(p));
const NGINX = findBin('nginx');
const OPENSSL = findBin('openssl');

const plan = async (spec: EdgeSpec): Promise<PlannedFile[]> => nginxTarget.plan(spec, CTX);
const fileOf = (files: PlannedFile[], rel: string): string => {
  const f = files.find((x) => x.path === `proxy/nginx/${rel}`);
  if (!f) throw new Error(`no file proxy/nginx/${rel}`);
  return f.contents;
};
const respec = (spec: EdgeSpec, change: (s: EdgeSpec) => void): EdgeSpec => {
  const s = structuredClone(spec);
  change(s);
  return specSchema.parse(s);
};
/** The text without comments (comments may name paths and directives that the config must not use). */
const code = (text: string): string => text.replace(/#.*$/gm, '');
const viaGateway = (spec: EdgeSpec, r: EdgeSpec['routes'][number]): boolean => spec.topology.components.includes('ts-gateway') || r.auth !== 'none';

/** The direct contents of every `{ … }` block (nested blocks cut out), skipping quotes and comments. */
function blocks(text: string): string[] {
  const stack: string[] = [''];
  const done: string[] = [];
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote && text[i - 1] !== '\\') quote = '';
      stack[stack.length - 1] += c;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      quote = c;
      stack[stack.length - 1] += c;
    } else if (c === '{') stack.push('');
    else if (c === '}') done.push(stack.pop()!);
    else stack[stack.length - 1] += c;
  }
  return [...done, stack[0]!];
}

/** Specs that exercise what the scenarios do not: trusted proxies, no TLS, redirects, methods, transforms, odd units. */
function variants(): Record<string, EdgeSpec> {
  const basic = scenarioSpec('self-hosted-basic');
  const full = scenarioSpec('self-hosted-full');
  const kube = scenarioSpec('kubernetes');
  return {
    'trusted-proxies': respec(basic, (s) => {
      s.trustedProxies = ['10.0.0.0/8', '192.168.1.10', '2001:db8::/32'];
    }),
    'tls-off': respec(kube, (s) => {
      s.tls.local = 'off';
      s.tls.redirectHttp = true;
    }),
    redirect: respec(basic, (s) => {
      s.tls.redirectHttp = true;
      s.tls.hstsSeconds = 0;
      s.listen.httpsPort = 443;
      s.listen.host = '0.0.0.0';
      s.listen.serverName = 'api.example.com';
    }),
    'direct-full': respec(full, (s) => {
      for (const x of s.services) x.sticky = true;
      s.topology.components = s.topology.components.filter((c) => c !== 'ts-gateway');
      for (const r of s.routes) r.auth = 'none';
      s.tls.mode = 'passthrough';
    }),
    details: respec(basic, (s) => {
      const r = s.routes[0]!;
      r.methods = ['GET', 'POST'];
      r.timeoutSeconds = 2.5;
      r.bodyLimitMb = 0.5;
      r.rateLimit = { requests: 5, windowSeconds: 7, key: 'ip', burst: 0 };
      r.headers = { request: { set: { 'X-Tenant': 'demo one', Host: 'evil' }, remove: ['X-Debug'] }, response: { set: { 'X-Api-Version': '1.2', 'X-Frame-Options': 'SAMEORIGIN' }, remove: ['X-Internal'] } };
      s.routes.push({ ...s.routes[1]!, name: 'root', path: '/', stripPrefix: false });
      s.limits.connectTimeoutSeconds = 0.5;
    }),
  };
}

const ALL = (): Record<string, EdgeSpec> => ({ ...Object.fromEntries(Object.keys(SCENARIOS).map((n) => [n, scenarioSpec(n)])), ...variants() });

describe('nginx units', () => {
  it('formats times, sizes and rates the way nginx parses them', () => {
    expect([duration(10), duration(2.5), duration(0.1)]).toEqual(['10s', '2500ms', '100ms']);
    expect([size(1), size(0.5), size(0.001), size(10_240)]).toEqual(['1m', '512k', '2k', '10240m']);
    expect(rate(100, 1)).toEqual({ rate: '100r/s', approximate: false });
    expect(rate(30, 60)).toEqual({ rate: '30r/m', approximate: false });
    expect(rate(5, 7)).toEqual({ rate: '43r/m', approximate: true });
    expect(rate(1, 86_400)).toEqual({ rate: '1r/m', approximate: true });
    expect(wrap('a b c d', 3)).toEqual(['a b', 'c d']);
  });
});

describe('nginx golden files', () => {
  for (const name of Object.keys(SCENARIOS)) {
    it(name, async () => expectGolden(name, await plan(scenarioSpec(name)), 'proxy/nginx/'));
  }
});

describe('nginx config properties', () => {
  for (const [name, spec] of Object.entries(ALL())) {
    describe(name, () => {
      let files: PlannedFile[];
      let conf: string;
      let routes: string;
      beforeAll(async () => {
        files = await plan(spec);
        conf = fileOf(files, 'nginx.conf');
        routes = fileOf(files, 'routes.conf');
      });

      it('is deterministic, relative and stamped', async () => {
        expect(await plan(spec)).toEqual(files);
        for (const f of files) {
          expect(f.path.startsWith('proxy/nginx/'), f.path).toBe(true);
          expect(f.contents.startsWith(provenance(CTX, '#')), f.path).toBe(true);
          expect(code(f.contents), f.path).not.toMatch(/(^|[\s'"])\/(tmp|home|work|root|var|etc|usr|run)\//m);
        }
        for (const m of conf.matchAll(/^\s*(?:pid|lock_file|\w+_temp_path|access_log|proxy_cache_path) (\S+)/gm)) expect(m[1]!.startsWith('.run/nginx/'), m[0]).toBe(true);
      });

      it('has every route, each in its own file, and a 404 for anything else', () => {
        for (const r of spec.routes) {
          const locs = r.path === '/' ? ['/'] : [`= ${r.path}`, `${r.path}/`];
          for (const l of locs) expect(routes).toContain(`location ${l} {\n    include routes/${r.name}.conf;\n}`);
          const body = fileOf(files, `routes/${r.name}.conf`);
          expect(body).toContain(`client_max_body_size ${size(r.bodyLimitMb)};`);
          expect(body).toContain(`${r.grpc ? 'grpc' : 'proxy'}_read_timeout ${duration(r.timeoutSeconds)};`);
        }
        expect(routes.includes('location / {\n    return 404;')).toBe(!spec.routes.some((r) => r.path === '/'));
      });

      it('pools every instance of every service it routes to, or the gateway replicas', () => {
        for (const r of spec.routes) {
          const body = fileOf(files, `routes/${r.name}.conf`);
          const gw = viaGateway(spec, r);
          const pool = gw ? `edge_gateway${r.grpc ? '_grpc' : ''}` : `${r.grpc ? 'grpc' : 'svc'}_${r.service}`;
          expect(body).toMatch(new RegExp(`^${r.grpc ? 'grpc_pass grpc' : 'proxy_pass http'}://${pool}${!gw && !r.grpc && r.stripPrefix ? '/' : ''};$`, 'm'));
          const block = conf.match(new RegExp(`upstream ${pool} \\{([^}]*)\\}`))?.[1] ?? '';
          const [port, count] = gw ? [spec.gateway.port, spec.gateway.replicas] : [spec.services.find((s) => s.name === r.service)!.port, spec.services.find((s) => s.name === r.service)!.instances];
          for (let i = 0; i < count; i++) expect(block).toContain(`server 127.0.0.1:${port + i} max_fails=1 fail_timeout=10s;`);
          expect(block.match(/server /g)).toHaveLength(count);
          expect(block).toMatch(/zone \S+ 64k;/);
          const sticky = !gw && spec.services.find((s) => s.name === r.service)!.sticky && count > 1;
          expect(block.includes('hash $remote_addr consistent;'), pool).toBe(sticky);
          if (gw) expect(body).not.toMatch(/proxy_cache |add_header X-|proxy_set_header X-Tenant/);
        }
      });

      it('limits rates on the socket or realip address only, answering 429', () => {
        expect(conf).toContain('limit_req_status 429;');
        expect(conf).not.toMatch(/limit_(req|conn)_zone \$(http|arg|cookie)_/);
        for (const r of spec.routes) {
          const body = fileOf(files, `routes/${r.name}.conf`);
          const here = r.rateLimit && !(r.rateLimit.key === 'client' && viaGateway(spec, r));
          const n = r.rateLimit ? r.rateLimit.requests - 1 + r.rateLimit.burst : 0;
          const burst = n > 0 ? ` burst=${n} nodelay` : '';
          expect(body.includes(`limit_req zone=rl_${r.name}${burst};`), r.name).toBe(Boolean(here));
          if (here) expect(conf).toContain(`limit_req_zone ${r.rateLimit!.key === 'global' ? '"global"' : '$binary_remote_addr'} zone=rl_${r.name}:`);
        }
      });

      it('caches only direct HTTP routes that ask, never with credentials', () => {
        for (const r of spec.routes) {
          const body = fileOf(files, `routes/${r.name}.conf`);
          const cached = r.cacheTtlSeconds !== undefined && !viaGateway(spec, r) && !r.websocket && !r.grpc;
          expect(body.includes('proxy_cache edge_cache;'), r.name).toBe(cached);
          if (cached) {
            expect(body).toContain(`proxy_cache_valid 200 ${duration(r.cacheTtlSeconds!)};`);
            expect(body).toContain('proxy_no_cache $http_authorization $http_cookie;');
            expect(body).toContain('add_header X-Cache-Status $upstream_cache_status always;');
          }
          if (r.auth !== 'none') expect(body).not.toContain('proxy_cache ');
          if (r.websocket) expect(body).toContain('proxy_set_header Connection $connection_upgrade;');
        }
      });

      it('sends security headers from every block that adds headers, HSTS only over TLS', () => {
        const sec = fileOf(files, 'snippets/security-headers.conf');
        for (const h of ['X-Content-Type-Options nosniff', 'X-Frame-Options DENY', 'Referrer-Policy no-referrer']) expect(sec).toContain(`add_header ${h} always;`);
        const hsts = spec.tls.local === 'self-signed' && spec.tls.hstsSeconds > 0;
        expect(sec.includes('add_header Strict-Transport-Security $edge_hsts always;')).toBe(hsts);
        if (hsts) expect(conf).toContain(`map $https $edge_hsts {\n        on "max-age=${spec.tls.hstsSeconds}";\n        default "";`);
        expect(conf).toContain('server_tokens off;');
        for (const f of files.filter((x) => !x.path.endsWith('security-headers.conf'))) {
          for (const b of blocks(f.contents)) if (/\badd_header\b/.test(b)) expect(b, f.path).toContain('include snippets/security-headers.conf;');
        }
        for (const b of blocks(conf).filter((x) => /\blisten\b/.test(x) && !/return 444|ssl_reject_handshake/.test(x))) {
          expect(b).toMatch(/include snippets\/(server|security-headers)\.conf;/);
        }
      });

      it('overwrites X-Forwarded-For unless the peer is a trusted proxy', () => {
        const headers = fileOf(files, 'snippets/proxy-headers.conf');
        expect(conf).not.toContain('$proxy_add_x_forwarded_for');
        if (spec.trustedProxies.length === 0) {
          expect(headers).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
          expect(conf).not.toMatch(/set_real_ip_from|real_ip_header/);
        } else {
          for (const c of spec.trustedProxies) expect(conf).toContain(`set_real_ip_from ${c};`);
          expect(conf).toContain('real_ip_header X-Forwarded-For;\n    real_ip_recursive on;');
          expect(headers).toContain('proxy_set_header X-Forwarded-For $edge_forwarded_for;');
          expect(conf).toMatch(/map \$edge_from_trusted_proxy \$edge_forwarded_for \{\n\s+1 "\$edge_xff_prefix\$realip_remote_addr";\n\s+default \$remote_addr;/);
        }
      });

      it('terminates TLS per Mozilla intermediate when asked', () => {
        const tls = spec.tls.local === 'self-signed';
        expect(conf.includes('ssl_protocols TLSv1.2 TLSv1.3;')).toBe(tls);
        expect(code(conf)).not.toMatch(/ssl_dhparam|[:\s]DHE-|TLSv1\.1|TLSv1 /);
        if (tls) {
          const ciphers = conf.match(/ssl_ciphers (\S+);/)![1]!.split(':');
          expect(ciphers).toHaveLength(6);
          for (const c of ciphers) expect(c).toMatch(/^ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
          expect(conf).toContain(`ssl_certificate ../../${spec.tls.certFile};`);
          expect(conf).toContain('ssl_prefer_server_ciphers off;');
          expect(conf).toContain(`listen ${spec.listen.host}:${spec.listen.httpsPort} ssl http2;`);
        }
        const redirect = tls && spec.tls.redirectHttp;
        expect(conf.includes('return 301 https://$server_name')).toBe(redirect);
        expect(conf).not.toMatch(/return 30\d \S*\$host/);
      });

      it('sets client and upstream timeouts and header limits from the spec', () => {
        const l = spec.limits;
        expect(conf).toContain(`client_header_timeout ${duration(l.clientHeaderTimeoutSeconds)};`);
        expect(conf).toContain(`client_body_timeout ${duration(l.clientBodyTimeoutSeconds)};`);
        expect(conf).toContain(`keepalive_timeout ${duration(l.idleTimeoutSeconds)};`);
        expect(conf).toContain(`proxy_connect_timeout ${duration(l.connectTimeoutSeconds)};`);
        expect(conf).toContain(`large_client_header_buffers 4 ${l.headerKb}k;`);
        expect(conf).toMatch(/listen \S+ default_server;\n\s+server_name _;\n\s+return 444;/);
      });
    });
  }

  it('renders route details: methods, header transforms, approximated rates, odd units', async () => {
    const files = await plan(variants().details!);
    const users = fileOf(files, 'routes/users.conf');
    expect(users).toContain('limit_except GET POST {\n    deny all;\n}');
    expect(users).toContain('proxy_set_header X-Tenant "demo one";');
    expect(users).toContain('proxy_set_header X-Debug "";');
    expect(users).not.toContain('proxy_set_header Host "evil"');
    expect(users).toContain('# headers.request Host: ignored, nginx manages this header.');
    expect(users).toContain('proxy_hide_header X-Api-Version;\nproxy_hide_header X-Internal;\nadd_header X-Api-Version "1.2" always;');
    expect(users).not.toContain('SAMEORIGIN');
    expect(users).toContain('proxy_read_timeout 2500ms;');
    expect(users).toContain('client_max_body_size 512k;');
    expect(users).toMatch(/approximated as 43r\/m/);
    expect(fileOf(files, 'nginx.conf')).toContain('proxy_connect_timeout 500ms;');
    expect(fileOf(files, 'routes/root.conf')).toContain('proxy_pass http://svc_orders;');
  });

  it('never lets an authenticated route reach a service directly', async () => {
    const spec = respec(scenarioSpec('aws-containers-jwt'), () => undefined);
    expect(spec.topology.components).not.toContain('ts-gateway');
    const files = await plan(spec);
    for (const r of spec.routes) expect(fileOf(files, `routes/${r.name}.conf`)).toContain('proxy_pass http://edge_gateway;');
    expect(fileOf(files, 'nginx.conf')).not.toMatch(/upstream svc_/);
  });

  it('runs from the project root with state under .run/nginx', () => {
    const spec = scenarioSpec('self-hosted-basic');
    expect(nginxTarget.local.validate(spec)).toEqual(['-t', '-p', './', '-c', 'proxy/nginx/nginx.conf', '-e', 'stderr']);
    expect(nginxTarget.local.run(spec)).toEqual(['-p', './', '-c', 'proxy/nginx/nginx.conf', '-e', 'stderr', '-g', 'daemon off;']);
    expect(nginxTarget.local.dirs).toEqual(['.run/nginx']);
    expect(nginxTarget.capabilities).toMatchObject({ activeHealthChecks: false, stickySessions: false, rateLimit: true, cache: true });
  });
});

const tmpDirs: string[] = [];
/** Writes the plan into a fresh project dir with the run dirs and, when needed, a throwaway certificate. */
async function project(spec: EdgeSpec): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'edgewise-nginx-'));
  tmpDirs.push(dir);
  chmodSync(dir, 0o755); // started as root, nginx workers run as nobody and must reach .run/nginx
  for (const f of await plan(spec)) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.contents);
  }
  for (const d of nginxTarget.local.dirs) mkdirSync(join(dir, d), { recursive: true });
  if (spec.tls.local === 'self-signed') {
    mkdirSync(join(dir, dirname(spec.tls.certFile)), { recursive: true });
    mkdirSync(join(dir, dirname(spec.tls.keyFile)), { recursive: true });
    const r = spawnSync(OPENSSL!, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', spec.tls.keyFile, '-out', spec.tls.certFile], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }
  return dir;
}

afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!NGINX || !OPENSSL)('nginx -t accepts every scenario and variant', () => {
  for (const [name, spec] of Object.entries(ALL())) {
    it(name, async () => {
      const dir = await project(spec);
      const r = spawnSync(NGINX!, nginxTarget.local.validate(spec), { cwd: dir, encoding: 'utf8' });
      expect(r.stderr).toContain('test is successful');
      expect(r.stderr).not.toMatch(/\[(warn|emerg|alert)\]/);
      expect(r.status).toBe(0);
    });
  }

  it('rejects a broken config (the check can fail)', async () => {
    const spec = scenarioSpec('self-hosted-basic');
    const dir = await project(spec);
    const r = spawnSync(NGINX!, ['-t', '-p', './', '-c', 'proxy/nginx/routes.conf', '-e', 'stderr'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
  });
});

describe.skipIf(!NGINX || !OPENSSL)('nginx end to end', () => {
  let spec: EdgeSpec;
  let port: number;
  let dir: string;
  const services = new Map<string, Running>();

  beforeAll(async () => {
    const base = specOf({ platform: 'self-hosted', services: 2, instances: 'multiple', protocols: ['http', 'websocket'], rateLimit: 'global', caching: true, proxy: 'nginx' });
    spec = await withRandomPorts(base, (s) => {
      delete s.routes.find((r) => r.name === 'users')!.cacheTtlSeconds; // an uncached route shows the balancing
      s.routes.push({ ...s.routes.find((r) => r.name === 'orders')!, name: 'limited', path: '/api/limited', rateLimit: { requests: 1, windowSeconds: 60, key: 'global', burst: 2 } });
    });
    expect(spec.topology.components).not.toContain('ts-gateway');
    port = spec.listen.httpPort;
    for (const svc of spec.services) {
      for (let i = 1; i <= svc.instances; i++) services.set(`${svc.name}-${i}`, await startSampleService({ name: svc.name, instance: i, port: svc.port + i - 1 }));
    }
    dir = await project(spec);
    const nginx = startProcess(NGINX!, nginxTarget.local.run(spec), { cwd: dir });
    try {
      await waitForPort(port);
      await waitForPort(spec.listen.httpsPort);
    } catch (e) {
      throw new Error(`nginx did not start: ${nginx.output()}`, { cause: e });
    }
  });

  afterAll(async () => {
    await stopAll();
    await Promise.all([...services.values()].map((s) => s.close()));
  });

  it('routes each prefix to its service, stripping the prefix', async () => {
    for (const name of ['users', 'orders']) {
      const r = await http(port, `/api/${name}/hello?x=1`);
      expect(r.status).toBe(200);
      expect(r.headers['x-served-by']).toMatch(new RegExp(`^${name}-[12]$`));
      expect(r.json()).toMatchObject({ service: name, path: '/hello', query: '?x=1' });
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['strict-transport-security']).toBeUndefined();
      expect(r.headers.server).toBe('nginx');
    }
    expect((await http(port, '/api/users')).json()).toMatchObject({ path: '/' });
    const miss = await http(port, '/api/usersX');
    expect(miss.status).toBe(404);
    expect(miss.json()).toEqual({ error: 'not_found', status: 404 });
  });

  it('alternates requests across the two instances', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push(String((await http(port, '/api/users/rr')).headers['x-served-by']));
    expect(new Set(seen)).toEqual(new Set(['users-1', 'users-2']));
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
  });

  it('replaces a spoofed X-Forwarded-For with the socket address', async () => {
    const r = await http(port, '/api/users/xff', { headers: { 'x-forwarded-for': '6.6.6.6', 'x-user-id': 'admin' } });
    expect(r.json()).toMatchObject({ forwardedFor: '127.0.0.1', user: null });
  });

  it('answers 429 past the rate limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await http(port, `/api/limited/n${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const r = await http(port, '/api/limited/again');
    expect(r.json()).toEqual({ error: 'too_many_requests', status: 429 });
    expect(r.headers['x-frame-options']).toBe('DENY');
  });

  it('serves a cached route from the cache the second time', async () => {
    const a = await http(port, '/api/orders/cache-probe');
    const b = await http(port, '/api/orders/cache-probe');
    expect(a.headers['x-cache-status']).toBe('MISS');
    expect(b.headers['x-cache-status']).toBe('HIT');
    expect(b.json()).toMatchObject({ servedBy: a.json().servedBy, served: a.json().served });
    const auth = await http(port, '/api/orders/cache-probe', { headers: { authorization: 'Bearer x' } });
    expect(auth.headers['x-cache-status']).toBe('BYPASS');
  });

  it('proxies a WebSocket echo', async () => {
    expect(await wsEcho(`ws://127.0.0.1:${port}/ws`, 'ping through nginx')).toBe('ping through nginx');
  });

  it('refuses unknown hosts and oversized bodies', async () => {
    await expect(http(port, '/api/users/x', { headers: { host: 'evil.example' } })).rejects.toThrow();
    const body = Buffer.alloc(2 * 1024 * 1024, 'a');
    const r = await http(port, '/api/users/upload', { method: 'POST', body, headers: { 'content-length': String(body.length) } });
    expect(r.status).toBe(413);
  });

  it('terminates TLS with HSTS and only the Mozilla intermediate suites, refusing unknown names', async () => {
    const get = (opts: { servername: string; maxVersion?: 'TLSv1.2'; ciphers?: string }): Promise<{ status: number; hsts?: string; protocol?: string }> =>
      new Promise((resolve, reject) => {
        const req = httpsRequest({ host: '127.0.0.1', port: spec.listen.httpsPort, path: '/api/users/tls', rejectUnauthorized: false, agent: false, headers: { host: 'localhost' }, ...opts }, (res) => {
          res.resume();
          const protocol = (res.socket as import('node:tls').TLSSocket).getProtocol() ?? undefined;
          res.on('end', () => resolve({ status: res.statusCode ?? 0, hsts: res.headers['strict-transport-security'] as string | undefined, ...(protocol ? { protocol } : {}) }));
        });
        req.on('error', reject);
        req.end();
      });
    expect(await get({ servername: 'localhost' })).toMatchObject({ status: 200, hsts: 'max-age=63072000', protocol: 'TLSv1.3' });
    expect(await get({ servername: 'localhost', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' })).toMatchObject({ status: 200, protocol: 'TLSv1.2' });
    for (const ciphers of ['DHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-SHA', 'AES128-GCM-SHA256']) {
      await expect(get({ servername: 'localhost', maxVersion: 'TLSv1.2', ciphers }), ciphers).rejects.toThrow();
    }
    await expect(get({ servername: 'evil.example' })).rejects.toThrow();
  });

  it('stops sending traffic to a killed instance (passive failure)', async () => {
    await services.get('users-2')!.close();
    for (let i = 0; i < 6; i++) {
      const r = await http(port, `/api/users/after-kill-${i}`);
      expect(r.status).toBe(200);
      expect(r.headers['x-served-by']).toBe('users-1');
    }
    // The access log shows the dead instance was tried at most once: after that failure nginx
    // skips it (max_fails/fail_timeout) instead of retrying it on every request.
    const dead = `127.0.0.1:${spec.services.find((s) => s.name === 'users')!.port + 1}`;
    const lines = readFileSync(join(dir, '.run/nginx/access.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { path: string; upstream: string; client: string });
    const afterKill = lines.filter((l) => l.path.startsWith('/api/users/after-kill-'));
    expect(afterKill).toHaveLength(6);
    expect(afterKill.filter((l) => l.upstream.includes(dead)).length).toBeLessThanOrEqual(1);
    expect(afterKill.every((l) => l.client === '127.0.0.1')).toBe(true);
  });
});
