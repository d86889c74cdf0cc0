// Gateway benchmark (reported, never asserted): the TypeScript gateway against nginx, HAProxy,
// fast-gateway 3.4.7 and @fastify/http-proxy 11.6.3, all proxying to one minimal node:http backend,
// one process each, loaded with wrk (-t1 -c50 -d10s --latency) on loopback.
//   node bench/gateway.mjs                compare (all targets that are installed)
//   node bench/gateway.mjs --rounds 3     median of three rounds per target
//   node bench/gateway.mjs soak [N]       ≥ N requests (default 1 000 000) through the plain gateway:
//                                         errors (must be 0) and RSS at start/middle/end
// Needs wrk; nginx and haproxy are skipped when missing. Other load on the machine skews ratios:
// run it on an idle machine.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const main = join(root, 'templates/gateway/src/main.ts');
const args = process.argv.slice(2);
const mode = args[0] === 'soak' ? 'soak' : 'compare';
const flag = (name, def) => {
  const i = args.indexOf(name);
  return i === -1 ? def : Number(args[i + 1]);
};
const ROUNDS = flag('--rounds', 1);
const DURATION = flag('--duration', 10);
const CONNECTIONS = flag('--connections', 50);
const work = mkdtempSync(join(tmpdir(), 'edgewise-gw-bench-'));
const children = new Set();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function start(name, cmd, argv, opts = {}) {
  const child = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let out = '';
  child.stdout.on('data', (d) => (out = (out + d).slice(-4000)));
  child.stderr.on('data', (d) => (out = (out + d).slice(-4000)));
  const proc = {
    name,
    child,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        children.delete(proc);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
  children.add(proc);
  return proc;
}

function status(port, path, headers = {}) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { connection: 'close', ...headers }, agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function ready(proc, port, path, headers) {
  for (let i = 0; i < 200; i++) {
    if ((await status(port, path, headers)) === 200) return;
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited:\n${proc.output()}`);
    await sleep(100);
  }
  throw new Error(`${proc.name} not ready on ${port}${path}:\n${proc.output()}`);
}

const UNITS = { us: 1e-3, ms: 1, s: 1000 };
function parseWrk(text) {
  const num = (re) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : 0;
  };
  const lat = (pct) => {
    const m = new RegExp(`\\s${pct}%\\s+([\\d.]+)(us|ms|s)`).exec(text);
    return m ? Number(m[1]) * UNITS[m[2]] : NaN;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    requests: num(/(\d+) requests in/),
    p50: lat(50),
    p99: lat(99),
    errors: num(/Non-2xx or 3xx responses: (\d+)/) + (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
    raw: text,
  };
}

function wrk(url, seconds, headers = []) {
  const argv = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', ...headers.flatMap((h) => ['-H', h]), url];
  return new Promise((resolve, reject) => {
    const p = spawn('wrk', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('exit', () => resolve(parseWrk(out)));
  });
}

function edgeYaml(backendPort, extra = {}) {
  const spec = {
    version: 1,
    name: 'bench',
    compute: 'containers',
    listen: { host: '127.0.0.1' },
    services: [{ name: 'bench', port: backendPort, instances: 1, health: '/healthz' }],
    routes: [{ name: 'api', path: '/api', service: 'bench', ...extra.route }],
    ...(extra.auth ? { auth: extra.auth } : {}),
    gateway: { port: 8088 },
  };
  const file = join(work, `edge-${Object.keys(extra).join('-') || 'plain'}.yaml`);
  writeFileSync(file, JSON.stringify(spec, null, 2)); // JSON is YAML
  return file;
}

const BACKEND = `const http = require('http');
const body = Buffer.from(JSON.stringify({ ok: true, service: 'bench', message: 'hello from the backend' }));
const s = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
s.keepAliveTimeout = 75000;
s.listen(Number(process.argv[1]), '127.0.0.1');`;

/** Each target: start(port, backend) → { proc, path, headers }. */
function targets(backend) {
  const list = [];
  if (has('nginx')) {
    list.push({
      name: 'nginx',
      label: `nginx ${(/nginx\/([\d.]+)/.exec(spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr) ?? [])[1] ?? ''} (1 process)`,
      async start(port) {
        const dir = mkdtempSync(join(work, 'nginx-'));
        writeFileSync(
          join(dir, 'nginx.conf'),
          `master_process off;
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream backend { server 127.0.0.1:${backend}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location /api/ { proxy_pass http://backend/; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`,
        );
        return start('nginx', 'nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')]);
      },
    });
  }
  if (has('nginx') && existsSync(join(root, 'dist', 'cli.js'))) {
    list.push({
      name: 'nginx-generated',
      label: 'nginx, the config edgewise generates (1 worker)',
      async start(port) {
        // The starter's own proxy/nginx config (security headers, limits, JSON access log…), generated
        // by the built CLI for one service on the bench backend; only worker_processes is pinned to 1
        // so every target runs as one process.
        const dir = mkdtempSync(join(work, 'gen-'));
        const spec = join(dir, 'bench-answers.json');
        writeFileSync(spec, JSON.stringify({ platform: 'self-hosted', compute: 'vms', services: 1, instances: 'single', proxy: 'nginx' }));
        const gen = spawnSync(process.execPath, [join(root, 'bin/edgewise.js'), 'generate', 'proj', '--answers', spec], { cwd: dir, encoding: 'utf8' });
        if (gen.status !== 0) throw new Error(`edgewise generate failed: ${gen.stderr}`);
        const proj = join(dir, 'proj');
        const edge = readFileSync(join(proj, 'edge.yaml'), 'utf8')
          .replace(/httpPort: \d+/, `httpPort: ${port}`)
          .replace(/httpsPort: \d+/, `httpsPort: ${await freePort()}`)
          .replace(/local: self-signed/, 'local: "off"')
          .replace(/port: 9101/, `port: ${backend}`)
          .replace('path: /api/users', 'path: /api');
        writeFileSync(join(proj, 'edge.yaml'), edge);
        const regen = spawnSync(process.execPath, [join(root, 'bin/edgewise.js'), 'generate', '--spec', 'edge.yaml', '--force', '.'], { cwd: proj, encoding: 'utf8' });
        if (regen.status !== 0) throw new Error(`edgewise generate --spec failed: ${regen.stderr}`);
        const conf = join(proj, 'proxy/nginx/nginx.conf');
        writeFileSync(conf, readFileSync(conf, 'utf8').replace('worker_processes auto;', 'worker_processes 1;'));
        const run = JSON.parse(readFileSync(join(proj, 'scripts/proxies.json'), 'utf8')).find((p) => p.id === 'nginx');
        spawnSync('mkdir', ['-p', ...run.dirs], { cwd: proj });
        spawnSync('chmod', ['-R', 'a+rwX', dir]);
        const argv = process.getuid?.() === 0 && run.runAsRoot ? run.runAsRoot : run.run;
        return start('nginx-generated', 'nginx', argv, { cwd: proj });
      },
    });
  }
  if (has('haproxy')) {
    list.push({
      name: 'haproxy',
      label: `HAProxy ${(/version ([\d.]+)/.exec(spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).stdout) ?? [])[1] ?? ''} (1 thread)`,
      async start(port) {
        const cfg = join(work, `haproxy-${port}.cfg`);
        writeFileSync(
          cfg,
          `global
  nbthread 1
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
  http-reuse always
frontend fe
  bind 127.0.0.1:${port}
  default_backend be
backend be
  http-request replace-path /api(/.*) \\1
  server s1 127.0.0.1:${backend}
`,
        );
        return start('haproxy', 'haproxy', ['-db', '-f', cfg]);
      },
    });
  }
  list.push({
    name: 'gateway',
    label: 'edgewise gateway (plain)',
    async start(port) {
      return start('gateway', process.execPath, ['--import', 'tsx', main, edgeYaml(backend)], {
        env: { ...process.env, GATEWAY_PORT: String(port), GATEWAY_ADMIN_PORT: '0', LOG_LEVEL: 'warn', GATEWAY_ACCESS_LOG: 'off' },
      });
    },
  });
  if (existsSync(join(root, 'templates/gateway/src/policies.ts'))) {
    list.push({
      name: 'gateway-jwt',
      label: 'edgewise gateway (JWT + rate limit + access log)',
      async start(port) {
        const secret = 'bench-secret-0123456789-0123456789-abcdef';
        const { SignJWT } = await import('jose');
        const token = await new SignJWT({ scope: 'bench' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('https://issuer.bench')
          .setAudience('bench')
          .setSubject('bench-user')
          .setIssuedAt()
          .setExpirationTime('2h')
          .sign(Buffer.from(secret));
        this.headers = [`Authorization: Bearer ${token}`];
        const file = edgeYaml(backend, {
          route: { auth: 'jwt', rateLimit: { requests: 1_000_000, windowSeconds: 1, key: 'client' } },
          auth: { jwt: { issuer: 'https://issuer.bench', audience: 'bench', algorithms: ['HS256'], secretEnv: 'BENCH_JWT_SECRET' } },
        });
        return start('gateway-jwt', process.execPath, ['--import', 'tsx', main, file], {
          env: { ...process.env, GATEWAY_PORT: String(port), GATEWAY_ADMIN_PORT: '0', LOG_LEVEL: 'warn', GATEWAY_ACCESS_LOG: join(work, 'access.log'), BENCH_JWT_SECRET: secret },
        });
      },
    });
  } else {
    console.log('gateway-jwt: skipped (templates/gateway/src/policies.ts is not there yet)');
  }
  list.push({
    name: 'fast-gateway',
    label: 'fast-gateway 3.4.7',
    async start(port) {
      const code = `import gateway from 'fast-gateway';
const server = gateway({ routes: [{ prefix: '/api', target: 'http://127.0.0.1:${backend}' }] });
await server.start(${port}, '127.0.0.1');`;
      return start('fast-gateway', process.execPath, ['--input-type=module', '-e', code]);
    },
  });
  list.push({
    name: 'fastify-http-proxy',
    label: '@fastify/http-proxy 11.6.3',
    async start(port) {
      const code = `import Fastify from 'fastify';
import proxy from '@fastify/http-proxy';
const app = Fastify({ logger: false });
await app.register(proxy, { upstream: 'http://127.0.0.1:${backend}', prefix: '/api' });
await app.listen({ port: ${port}, host: '127.0.0.1' });`;
      return start('fastify-http-proxy', process.execPath, ['--input-type=module', '-e', code]);
    },
  });
  return list;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function compare() {
  const backendPort = await freePort();
  const backend = start('backend', process.execPath, ['-e', BACKEND, String(backendPort)]);
  await ready(backend, backendPort, '/x');
  const list = targets(backendPort);
  const results = new Map();
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of list) {
      const port = await freePort();
      t.headers = [];
      const proc = await t.start(port);
      try {
        const headers = Object.fromEntries(t.headers.map((h) => [h.slice(0, h.indexOf(':')).toLowerCase(), h.slice(h.indexOf(':') + 1).trim()]));
        await ready(proc, port, '/api/x', headers);
        await wrk(`http://127.0.0.1:${port}/api/x`, 2, t.headers); // warm-up (JIT, connections, token cache)
        const cpu0 = cpuSeconds(proc.child.pid);
        const r = await wrk(`http://127.0.0.1:${port}/api/x`, DURATION, t.headers);
        // CPU the proxy itself spent per request: steadier than req/s when the machine is shared.
        r.cpuUs = ((cpuSeconds(proc.child.pid) - cpu0) / r.requests) * 1e6;
        if (!results.has(t.name)) results.set(t.name, []);
        results.get(t.name).push(r);
        console.log(`round ${round + 1}: ${t.label.padEnd(48)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  CPU ${r.cpuUs.toFixed(1)} µs/req  errors ${r.errors}`);
      } catch (err) {
        console.log(`${t.label}: failed — ${err.message.split('\n')[0]}`);
      } finally {
        await proc.stop();
      }
    }
  }
  await backend.stop();
  // Ratios are taken per round (nginx and the target ran minutes apart at most), then the median:
  // steadier than a ratio of medians when other load on the machine comes and goes.
  const nginxRounds = results.get('nginx') ?? [];
  const pick = (name) => {
    const rs = results.get(name);
    if (!rs) return undefined;
    const per = (f) => rs.map((r, i) => (nginxRounds[i] ? f(r, nginxRounds[i]) : NaN)).filter((x) => !Number.isNaN(x));
    return {
      rps: median(rs.map((r) => r.rps)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      cpuUs: median(rs.map((r) => r.cpuUs)),
      ratio: per((r, n) => r.rps / n.rps),
      p99ratio: per((r, n) => r.p99 / n.p99),
      rounds: rs,
    };
  };
  const nginx = pick('nginx');
  console.log(`\nwrk -t1 -c${CONNECTIONS} -d${DURATION}s --latency, loopback, ${ROUNDS === 1 ? 'one run' : `median of ${ROUNDS} rounds`}; backend: one node:http process`);
  console.log(`${'target'.padEnd(50)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'×nginx'.padStart(7)} ${'p99×nginx'.padStart(10)} ${'CPU µs/req'.padStart(11)} errors`);
  const fmt = (xs) => (xs.length ? median(xs).toFixed(2) : '–');
  for (const t of list) {
    const r = pick(t.name);
    if (!r) continue;
    console.log(`${t.label.padEnd(50)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${fmt(r.ratio).padStart(7)} ${fmt(r.p99ratio).padStart(10)} ${r.cpuUs.toFixed(1).padStart(11)} ${r.errors}`);
  }
  const gw = pick('gateway');
  const jwt = pick('gateway-jwt');
  const fg = pick('fast-gateway');
  const fp = pick('fastify-http-proxy');
  const goal = (label, value, target, ok) => console.log(`goal: ${label.padEnd(42)} ${value.toFixed(2)}  (goal ${target})  ${ok ? 'met' : 'NOT met'}`);
  /** Median over rounds of a per-round ratio between two targets. */
  const vs = (a, b, f = (x, y) => x.rps / y.rps) => median(a.rounds.map((r, i) => f(r, b.rounds[i] ?? b.rounds[0])));
  console.log('');
  if (gw && nginx) goal('plain ≥ 0.45× nginx', vs(gw, nginx), '≥ 0.45', vs(gw, nginx) >= 0.45);
  const gen = pick('nginx-generated');
  if (gw && gen) console.log(`info: plain gateway vs the generated nginx config       ${vs(gw, gen).toFixed(2)}×`);
  if (jwt && gen) console.log(`info: JWT gateway vs the generated nginx config         ${vs(jwt, gen).toFixed(2)}×`);
  if (gw && fg) goal('plain ≥ 2× fast-gateway', vs(gw, fg), '≥ 2', vs(gw, fg) >= 2);
  if (gw && fp) goal('plain ≥ 2× @fastify/http-proxy', vs(gw, fp), '≥ 2', vs(gw, fp) >= 2);
  if (jwt && nginx) goal('JWT + rate limit + log ≥ 0.35× nginx', vs(jwt, nginx), '≥ 0.35', vs(jwt, nginx) >= 0.35);
  const p99 = (x, y) => x.p99 / y.p99;
  if (gw && nginx) goal('plain p99 ≤ 3× nginx p99', vs(gw, nginx, p99), '≤ 3', vs(gw, nginx, p99) <= 3);
  if (jwt && nginx) goal('JWT p99 ≤ 3× nginx p99', vs(jwt, nginx, p99), '≤ 3', vs(jwt, nginx, p99) <= 3);
  // Not a goal of the brief, but what the req/s ratios mean on a machine that wrk, the backend and
  // the proxy share: CPU per request of the other Node proxies relative to the gateway's.
  const cpu = (x, y) => y.cpuUs / x.cpuUs;
  if (gw && fg) console.log(`info: CPU per request, fast-gateway / gateway            ${vs(gw, fg, cpu).toFixed(2)}×`);
  if (gw && fp) console.log(`info: CPU per request, @fastify/http-proxy / gateway     ${vs(gw, fp, cpu).toFixed(2)}×`);
}

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function soak() {
  const want = Number(args[1]) > 0 ? Number(args[1]) : 1_000_000;
  const backendPort = await freePort();
  const backend = start('backend', process.execPath, ['-e', BACKEND, String(backendPort)]);
  await ready(backend, backendPort, '/x');
  const port = await freePort();
  const gw = start('gateway', process.execPath, ['--import', 'tsx', main, edgeYaml(backendPort)], {
    env: { ...process.env, GATEWAY_PORT: String(port), GATEWAY_ADMIN_PORT: '0', LOG_LEVEL: 'warn', GATEWAY_ACCESS_LOG: 'off' },
  });
  await ready(gw, port, '/api/x');
  await wrk(`http://127.0.0.1:${port}/api/x`, 3);
  const samples = [{ at: 0, rss: rssMb(gw.child.pid) }];
  let total = 0;
  let errors = 0;
  let slices = 0;
  const t0 = Date.now();
  while (total < want) {
    const r = await wrk(`http://127.0.0.1:${port}/api/x`, 10);
    if (r.requests === 0) throw new Error(`wrk failed:\n${r.raw}`);
    total += r.requests;
    errors += r.errors;
    slices++;
    samples.push({ at: total, rss: rssMb(gw.child.pid) });
    console.log(`soak: ${total.toLocaleString('en')} requests, ${errors} errors, RSS ${samples.at(-1).rss.toFixed(1)} MB`);
  }
  const start0 = samples[0];
  const middle = samples[Math.floor(samples.length / 2)];
  const end = samples.at(-1);
  await gw.stop();
  await backend.stop();
  const growth = end.rss - start0.rss;
  console.log(
    `\nsoak: ${total.toLocaleString('en')} requests in ${((Date.now() - t0) / 1000).toFixed(0)} s (${slices} × 10 s wrk -t1 -c${CONNECTIONS}), errors ${errors} (goal 0: ${errors === 0 ? 'met' : 'NOT met'})`,
  );
  console.log(`soak: RSS start ${start0.rss.toFixed(1)} MB, middle ${middle.rss.toFixed(1)} MB, end ${end.rss.toFixed(1)} MB (growth ${growth.toFixed(1)} MB: ${growth < 30 ? 'flat' : 'GROWING'})`);
}

async function run() {
  if (!has('wrk')) {
    console.log('gateway bench: wrk is not installed (apt-get install wrk); nothing measured');
    return;
  }
  try {
    if (mode === 'soak') await soak();
    else await compare();
  } finally {
    await Promise.all([...children].map((c) => c.stop()));
    rmSync(work, { recursive: true, force: true });
  }
}

process.on('SIGINT', () => {
  for (const c of children) c.child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
  process.exit(130);
});

await run();
