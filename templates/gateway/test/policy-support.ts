// Test support for the policy tests: a gateway built from a config object, a logging upstream, a raw
// HTTP client that can pick its source address (127.0.0.2 = an untrusted client, 127.0.0.1 = the
// trusted load balancer), a JWKS server, token signing, and a throwaway redis-server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import pino, { type Logger } from 'pino';
import { createPolicies, type PolicyOptions } from '../src/policies.js';
import { createGateway, type Gateway, type GatewayOptions } from '../src/server.js';
import type { GatewayConfig, RouteConfig } from '../src/types.js';

export const UNTRUSTED = '127.0.0.2';
export const TRUSTED = '127.0.0.1';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A logger that keeps every line (JSON objects) for assertions. */
export function memoryLogger(level = 'info'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { logger, lines };
}

export function route(over: Partial<RouteConfig> & { name: string; path: string }): RouteConfig {
  return { service: 'api', stripPrefix: true, auth: 'none', websocket: false, grpc: false, timeoutSeconds: 5, bodyLimitMb: 1, ...over };
}

export function gatewayConfig(upstreamPort: number, routes: RouteConfig[], over: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    name: 'test',
    compute: 'containers',
    listen: { host: '127.0.0.1' },
    trustedProxies: [],
    limits: { clientHeaderTimeoutSeconds: 5, clientBodyTimeoutSeconds: 5, idleTimeoutSeconds: 5, connectTimeoutSeconds: 1, headerKb: 16 },
    services: [{ name: 'api', port: upstreamPort, instances: 1, health: '/healthz', protocol: 'http' }],
    routes,
    auth: {},
    gateway: { port: 0, replicas: 1, loadBalancing: 'round-robin', allowedOrigins: [] },
    ...over,
  };
}

export interface Running {
  gateway: Gateway;
  port: number;
  close(): Promise<void>;
}

/** The real gateway (server.ts) with the real policies (policies.ts), on 127.0.0.1 port 0. */
export async function startGateway(config: GatewayConfig, policyOpts: PolicyOptions = {}, gwOpts: Partial<GatewayOptions> = {}): Promise<Running> {
  const gateway = await createGateway(config, {
    policies: (deps) => createPolicies(deps, policyOpts),
    port: 0,
    host: '127.0.0.1',
    adminPort: 0,
    health: { intervalMs: 60_000, timeoutMs: 500, rise: 1, fall: 1 },
    connectionsCheckingIntervalMs: 100,
    accessLog: false,
    maxConnectionsPerIp: 0,
    ...gwOpts,
  });
  return { gateway, port: gateway.port, close: () => gateway.close() };
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  remoteAddress: string;
}

export interface Upstream {
  port: number;
  server: Server;
  /** Every request except health checks. */
  seen: SeenRequest[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Open connections to this upstream (leak checks). */
  connections(): Promise<number>;
  close(): Promise<void>;
}

/** An upstream that logs what it received and answers with a JSON echo (or `handler`). */
export async function startUpstream(handler?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const up: Upstream = {
    port: 0,
    seen,
    server: undefined as unknown as Server,
    handler: () => undefined,
    connections: async () => 0,
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
      return;
    }
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, remoteAddress: req.socket.remoteAddress ?? '' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (handler) return handler(req, res, body);
      const text = JSON.stringify({ n: seen.length, method: req.method, url: req.url, headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  up.server = server;
  up.port = (server.address() as { port: number }).port;
  up.connections = () => new Promise((r) => server.getConnections((_e, n) => r(n)));
  up.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return up;
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
  ms: number;
}

/** One HTTP/1.1 request on a fresh connection from `localAddress` (default 127.0.0.2, untrusted). */
export function send(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string | string[]>; body?: string | Buffer; localAddress?: string; timeoutMs?: number } = {},
): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, localAddress: opts.localAddress ?? UNTRUSTED, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
        res.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 5000, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Raw bytes on one connection; resolves with everything received until the peer closes or `waitMs` passes. */
export function raw(port: number, bytes: string | Buffer, opts: { localAddress?: string; waitMs?: number } = {}): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s: Socket = connect({ port, host: '127.0.0.1', localAddress: opts.localAddress ?? UNTRUSTED });
    let text = '';
    let closed = false;
    const t = setTimeout(() => {
      s.destroy();
      resolve({ text, closed });
    }, opts.waitMs ?? 1500);
    s.on('data', (d: Buffer) => (text += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => {
      closed = true;
      clearTimeout(t);
      resolve({ text, closed });
    });
    s.write(bytes);
  });
}

export function json<T = Record<string, unknown>>(r: Reply): T {
  return JSON.parse(r.body) as T;
}

// ---- JWT ----------------------------------------------------------------------------------

export interface KeyPair {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
  spki: string;
}

export async function keyPair(alg: 'RS256' | 'ES256' | 'PS256' | 'EdDSA', kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicKey, jwk, spki: await exportSPKI(publicKey) };
}

export const ISSUER = 'https://issuer.test';
export const AUDIENCE = 'edge-api';

export function claims(over: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: now, exp: now + 600, ...over };
}

export async function signRs(key: KeyPair, payload: JWTPayload, header: Record<string, unknown> = {}, crit?: Record<string, boolean>): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey, crit ? { crit } : undefined);
}

export async function signHs(secret: string | Uint8Array, payload: JWTPayload, alg = 'HS256', header: Record<string, unknown> = {}): Promise<string> {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT', ...header }).sign(bytes);
}

const b64u = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A token assembled by hand (alg none, broken JSON, duplicate claims). */
export function unsigned(header: unknown, payload: unknown, signature = ''): string {
  return `${b64u(header)}.${b64u(payload)}.${signature}`;
}

export interface JwksServer {
  url: string;
  port: number;
  hits: string[];
  keys: JWK[];
  mode: 'ok' | '500' | 'invalid-json' | 'empty' | 'hang' | 'redirect' | 'huge';
  redirectTo?: string;
  close(): Promise<void>;
}

/** Serves `keys` as a JWKS at /jwks (and misbehaves on demand). */
export async function startJwks(keys: JWK[]): Promise<JwksServer> {
  const state: JwksServer = { url: '', port: 0, hits: [], keys, mode: 'ok', close: async () => undefined };
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    state.hits.push(req.url ?? '');
    switch (state.mode) {
      case '500':
        res.writeHead(500).end('{}');
        return;
      case 'invalid-json':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": [');
        return;
      case 'empty':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": []}');
        return;
      case 'hang':
        hanging.add(res);
        return;
      case 'redirect':
        res.writeHead(302, { location: state.redirectTo ?? '/' }).end();
        return;
      case 'huge': {
        const filler = 'x'.repeat(2 * 1024 * 1024);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys, filler }));
        return;
      }
      default:
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.port = (server.address() as { port: number }).port;
  state.url = `http://127.0.0.1:${state.port}/jwks`;
  state.close = () =>
    new Promise<void>((r) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}

/** A listener that only counts connections (the "attacker" for jku/x5u, or a decoy). */
export async function startCounter(): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  let n = 0;
  const server = createNetServer((s) => {
    n++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => n,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// ---- redis-server ---------------------------------------------------------------------------

export const hasRedis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

export async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function waitPort(port: number, up: boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open === up) return;
    if (Date.now() > until) throw new Error(`port ${port} did not become ${up ? 'open' : 'closed'}`);
    await sleep(25);
  }
}

export interface RedisServer {
  port: number;
  url: string;
  start(): Promise<void>;
  /** SIGKILL: no goodbye to clients (the "killed mid-test" case). */
  kill(): Promise<void>;
}

/** A redis-server child on a free port (no persistence). Stopped by kill(); callers must kill in `after`. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const r: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: 'ignore' });
      await waitPort(port, true);
    },
    async kill() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise<void>((res) => c.once('exit', () => res()));
      c.kill('SIGKILL');
      await exited;
      await waitPort(port, false);
    },
  };
  await r.start();
  return r;
}

/** Waits until `fn` returns true (polling), or fails after `timeoutMs`. */
export async function until(fn: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
