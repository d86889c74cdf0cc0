// Measures what the gateway costs in front of your own service: the same load straight to the
// service's first instance, then through the gateway. Start your services first (npm run services).
//   node gateway/bench/run.mjs [edge.yaml] [--route NAME] [--path /sub/path] [--duration 10]
//                              [--connections 50] [--header "Authorization: Bearer …"]…
// Uses wrk when it is installed (apt-get install wrk), else autocannon when it can be imported.
// Numbers are for this machine and this moment: run it idle, run it twice.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i === -1 ? def : argv[i + 1];
};
const headers = argv.flatMap((a, i) => (a === '--header' && argv[i + 1] ? [argv[i + 1]] : []));
const file = resolve(argv[0] && !argv[0].startsWith('--') ? argv[0] : 'edge.yaml');
const duration = Number(opt('--duration', 10));
const connections = Number(opt('--connections', 50));
const spec = parse(readFileSync(file, 'utf8'));
const route = opt('--route') ? spec.routes.find((r) => r.name === opt('--route')) : spec.routes[0];
if (!route) throw new Error(`no route ${opt('--route')} in ${file}`);
const svc = spec.services.find((s) => s.name === route.service);
const sub = opt('--path', '/');
const prefix = route.path === '/' ? '' : route.path;
const direct = `http://127.0.0.1:${svc.port}${route.stripPrefix === false ? prefix : ''}${sub}`;

function status(url) {
  return new Promise((done) => {
    const req = request(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(0));
    req.end();
  });
}

const UNITS = { us: 1e-3, ms: 1, s: 1000 };
async function load(url, seconds = duration) {
  if (spawnSync('sh', ['-c', 'command -v wrk']).status === 0) {
    const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...headers.flatMap((h) => ['-H', h]), url];
    const out = spawnSync('wrk', args, { encoding: 'utf8' }).stdout;
    const lat = (p) => {
      const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
      return m ? Number(m[1]) * UNITS[m[2]] : NaN;
    };
    const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    return {
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
      p50: lat(50),
      p99: lat(99),
      errors: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
    };
  }
  const { default: autocannon } = await import('autocannon').catch(() => {
    throw new Error('install wrk (apt-get install wrk) or autocannon (npm i -D autocannon)');
  });
  const r = await autocannon({ url, connections, duration: seconds, headers: Object.fromEntries(headers.map((h) => [h.slice(0, h.indexOf(':')), h.slice(h.indexOf(':') + 1).trim()])) });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

if ((await status(`http://127.0.0.1:${svc.port}${svc.health ?? '/healthz'}`)) === 0) {
  console.error(`service ${svc.name} is not answering on 127.0.0.1:${svc.port}: start your services first (npm run services)`);
  process.exit(1);
}

const gateway = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../src/main.ts', import.meta.url)), file], {
  env: { ...process.env, GATEWAY_PORT: '0', GATEWAY_ADMIN_PORT: '0', LOG_LEVEL: 'warn', GATEWAY_ACCESS_LOG: 'off' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise((done, fail) => {
  let out = '';
  gateway.stdout.on('data', (d) => {
    out += d;
    const m = /on http:\/\/[^:]+:(\d+) /.exec(out);
    if (m) done(Number(m[1]));
  });
  gateway.once('exit', (code) => fail(new Error(`gateway exited (${code})`)));
});
try {
  const via = `http://127.0.0.1:${port}${prefix}${sub}`;
  for (const url of [direct, via]) await load(url, 2); // warm-up: JIT, connections
  const a = await load(direct);
  const b = await load(via);
  const row = (name, r) => console.log(`${name.padEnd(10)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${r.p50.toFixed(2).padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms   errors ${r.errors}`);
  console.log(`route ${route.name}: ${duration} s, ${connections} connections`);
  row('direct', a);
  row('gateway', b);
  console.log(`gateway/direct: throughput ${(b.rps / a.rps).toFixed(2)}×, p99 ${(b.p99 / a.p99).toFixed(2)}×`);
} finally {
  gateway.kill('SIGTERM');
}
