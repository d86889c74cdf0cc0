// `npm run dev`: starts the sample services, the TypeScript gateway (when the project has one) and,
// when its binary is installed, the reverse proxy with the generated config — all on 127.0.0.1 —
// then prints the URLs. Ctrl-C stops everything. Without the proxy binary it says how to use
// docker compose instead.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse } from 'yaml';
import { startAll } from '../services/run.js';

interface ProxyRun {
  id: string;
  bin: string;
  validate: string[];
  run: string[];
  runAsRoot?: string[];
  dirs: string[];
  env?: Record<string, string>;
}

interface Spec {
  name: string;
  platform: string;
  compute: string;
  proxy: string;
  targets: string[];
  listen: { host: string; httpPort: number; httpsPort: number };
  tls: { mode: string; local: 'self-signed' | 'off'; certFile: string; keyFile: string };
  routes: { name: string; path: string; websocket: boolean }[];
  gateway: { port: number; adminPort: number; replicas: number; redis?: { url: string } };
}

const spec = parse(readFileSync('edge.yaml', 'utf8')) as Spec;
const proxies = existsSync('scripts/proxies.json') ? (JSON.parse(readFileSync('scripts/proxies.json', 'utf8')) as ProxyRun[]) : [];
const children: ChildProcess[] = [];

const onPath = (bin: string): boolean => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;

/** HAProxy reads certificate and key from one PEM: certs/server.crt → certs/server.pem. */
const pemFile = (certFile: string): string => (certFile.endsWith('.crt') ? certFile.slice(0, -4) : certFile) + '.pem';

/** A self-signed certificate for local TLS (never for production). */
function ensureCertificate(): void {
  if (spec.tls.local !== 'self-signed') return;
  if (!existsSync(spec.tls.certFile)) {
    if (!onPath('openssl')) {
      console.warn('openssl not found: set tls.local: off in edge.yaml and regenerate, or install openssl');
      return;
    }
    mkdirSync(dirname(spec.tls.certFile), { recursive: true });
    mkdirSync(dirname(spec.tls.keyFile), { recursive: true });
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', spec.tls.keyFile, '-out', spec.tls.certFile], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error('openssl could not create the self-signed certificate');
    console.log(`created a self-signed certificate: ${spec.tls.certFile}`);
  }
  const pem = pemFile(spec.tls.certFile);
  if (!existsSync(pem) && existsSync(spec.tls.keyFile)) {
    writeFileSync(pem, readFileSync(spec.tls.certFile, 'utf8') + readFileSync(spec.tls.keyFile, 'utf8'), { mode: 0o600 });
  }
}

function start(cmd: string, args: string[], label: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`${label} exited (${signal ?? code})`);
  });
  children.push(child);
  return child;
}

let stopping = false;
// Functions run inside the gateway (local Lambda emulation); other computes get the sample services.
const lambda = spec.platform === 'aws' && spec.compute === 'lambda';
const services = lambda ? [] : await startAll('edge.yaml');
ensureCertificate();

if (spec.targets.includes('gateway')) {
  // Replica i listens on gateway.port + i; the proxy balances across them.
  for (let i = 0; i < spec.gateway.replicas; i++) {
    start(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts', 'edge.yaml'], `gateway#${i + 1}`, { ...process.env, GATEWAY_PORT: String(spec.gateway.port + i), GATEWAY_ADMIN_PORT: String(spec.gateway.adminPort + i) });
  }
}

const proxy = proxies.find((p) => p.id === spec.proxy) ?? proxies[0];
let proxyRunning = false;
if (proxy) {
  if (onPath(proxy.bin)) {
    for (const d of proxy.dirs) mkdirSync(d, { recursive: true });
    const env = { ...process.env, ...(proxy.env ?? {}) };
    const check = spawnSync(proxy.bin, proxy.validate, { encoding: 'utf8', env });
    if (check.status !== 0) {
      console.error(`${proxy.bin} rejected the generated config:\n${check.stdout}${check.stderr}`);
    } else {
      const asRoot = process.getuid?.() === 0 && proxy.runAsRoot;
      if (asRoot) console.warn(`running as root: ${proxy.id} keeps its workers as root (local development only)`);
      start(proxy.bin, asRoot ? proxy.runAsRoot! : proxy.run, proxy.id, env);
      proxyRunning = true;
    }
  } else {
    console.log(`${proxy.bin} is not installed: run the proxy with docker compose instead (docker compose up ${proxy.id}), or install it.`);
  }
}

const base = proxyRunning ? `http://127.0.0.1:${spec.listen.httpPort}` : spec.targets.includes('gateway') ? `http://127.0.0.1:${spec.gateway.port}` : undefined;
console.log('');
if (base) {
  for (const r of spec.routes) console.log(`  ${r.name.padEnd(12)} ${r.websocket ? base.replace('http', 'ws') : base}${r.path}`);
  if (proxyRunning && spec.tls.local === 'self-signed') console.log(`  (TLS: https://localhost:${spec.listen.httpsPort}, self-signed)`);
} else {
  console.log('Only the sample services are running (see above).');
}
console.log('\nCtrl-C stops everything.');

const stop = async (): Promise<void> => {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(services.map((s) => s.close()));
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
