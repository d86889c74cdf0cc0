// WebSocket upgrades through the real gateway: security.md test 21 — Origin allow-list, auth and
// rate limit on the upgrade, handshake validation (400/426), message size (1009), a non-101
// upstream answer is relayed and the connection stays HTTP (no tunnel), close propagation both
// ways, idle timeout, 1001 on shutdown.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import type { GatewayConfig } from '../src/types.js';
import { AUDIENCE, claims, gatewayConfig, ISSUER, raw, route, signHs, sleep, startGateway, until, type Running } from './policy-support.js';

const SECRET = 'websocket-test-secret-websocket-test-secret';
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

interface WsUpstream {
  port: number;
  upgrades: { url: string; headers: IncomingMessage['headers'] }[];
  httpRequests: string[];
  received: string[];
  closes: number[];
  sockets: Set<WebSocket>;
  connections(): Promise<number>;
  close(): Promise<void>;
}

/** HTTP + WebSocket upstream: echoes, can refuse upgrades, close on demand, and logs everything. */
async function startWsUpstream(): Promise<WsUpstream> {
  const state: WsUpstream = { port: 0, upgrades: [], httpRequests: [], received: [], closes: [], sockets: new Set(), connections: async () => 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/healthz') state.httpRequests.push(req.url ?? '');
    const body = JSON.stringify({ http: req.url });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('chat.v2') ? 'chat.v2' : false) });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    state.upgrades.push({ url: req.url ?? '', headers: req.headers });
    if (req.url === '/refuse') {
      const body = '{"refused":true}';
      socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
      return;
    }
    if (req.url === '/ok200') {
      const body = 'plain http';
      socket.end(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      state.sockets.add(ws);
      ws.on('message', (data, isBinary) => {
        const text = data.toString();
        state.received.push(isBinary ? `<binary ${(data as Buffer).length}>` : text);
        if (text === 'close-me') ws.close(4000, 'bye');
        else ws.send(data, { binary: isBinary });
      });
      ws.on('close', (code) => {
        state.closes.push(code);
        state.sockets.delete(ws);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.port = (server.address() as { port: number }).port;
  state.connections = () => new Promise((r) => server.getConnections((_e, n) => r(n)));
  state.close = () =>
    new Promise<void>((r) => {
      for (const ws of state.sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}

function wsConfig(upstreamPort: number, allowedOrigins: string[]): GatewayConfig {
  return gatewayConfig(
    upstreamPort,
    [
      route({ name: 'ws', path: '/ws', websocket: true }),
      route({ name: 'ws-auth', path: '/wsauth', websocket: true, auth: 'jwt' }),
      route({ name: 'ws-limit', path: '/wslimit', websocket: true, rateLimit: { requests: 2, windowSeconds: 60, key: 'ip', burst: 0 } }),
      route({ name: 'ws-small', path: '/wssmall', websocket: true, bodyLimitMb: 1 / 1024 }),
      route({ name: 'plain', path: '/plain' }),
    ],
    {
      gateway: { port: 0, replicas: 1, loadBalancing: 'round-robin', allowedOrigins },
      auth: { jwt: { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], secretEnv: 'JWT_SECRET', clockToleranceSeconds: 0, forwardClaims: ['sub'] } },
    },
  );
}

const ORIGIN = 'https://app.example.com';

function open(port: number, path: string, opts: { origin?: string; headers?: Record<string, string>; protocols?: string[]; localAddress?: string } = {}): Promise<{ ws: WebSocket; status?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, opts.protocols ?? [], { origin: opts.origin, headers: opts.headers, localAddress: opts.localAddress ?? '127.0.0.2', handshakeTimeout: 3000 });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ws, status: res.statusCode });
      res.resume();
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

const closed = (ws: WebSocket): Promise<{ code: number; reason: string }> =>
  new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

const upgradeRequest = (path: string, headers: Record<string, string | undefined>): string => {
  let text = `GET ${path} HTTP/1.1\r\nHost: gw\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`;
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) text += `${k}: ${v}\r\n`;
  return `${text}\r\n`;
};

describe('WebSocket upgrades (security.md 21)', () => {
  let upstream: WsUpstream;
  let gw: Running;

  before(async () => {
    upstream = await startWsUpstream();
    gw = await startGateway(wsConfig(upstream.port, [ORIGIN]), { env: { JWT_SECRET: SECRET }, websocket: { idleTimeoutMs: 5000 } });
  });
  after(async () => {
    await gw.close();
    // Leak check: once the gateway is closed, no connection to the upstream is left open.
    await until(async () => (await upstream.connections()) === 0, 2000, 'upstream connections to drain');
    await upstream.close();
  });

  it('relays messages both ways for an allowed Origin, with the upstream’s subprotocol', async () => {
    const { ws } = await open(gw.port, '/ws/echo', { origin: ORIGIN, protocols: ['chat.v1', 'chat.v2'], headers: { 'x-user-id': 'admin' } });
    assert.equal(ws.protocol, 'chat.v2');
    const got = new Promise<string>((r) => ws.once('message', (d) => r(d.toString())));
    ws.send('hello');
    assert.equal(await got, 'hello');
    const up = upstream.upgrades.at(-1)!;
    assert.equal(up.url, '/echo');
    assert.equal(up.headers['x-user-id'], undefined, 'client identity header forwarded');
    assert.equal(up.headers['x-forwarded-for'], '127.0.0.2');
    assert.equal(up.headers.origin, ORIGIN);
    ws.close();
    await closed(ws);
  });

  it('refuses a foreign or missing Origin with 403 before the upstream sees anything', async () => {
    const before = upstream.upgrades.length;
    assert.equal((await open(gw.port, '/ws/echo', { origin: 'https://evil.example' })).status, 403);
    assert.equal((await open(gw.port, '/ws/echo', { origin: 'null' })).status, 403);
    assert.equal((await open(gw.port, '/ws/echo')).status, 403);
    assert.equal(upstream.upgrades.length, before);
  });

  it('authenticates the upgrade (401 without a token) and forwards the identity', async () => {
    const before = upstream.upgrades.length;
    assert.equal((await open(gw.port, '/wsauth/x', { origin: ORIGIN })).status, 401);
    assert.equal((await open(gw.port, '/wsauth/x', { origin: ORIGIN, headers: { authorization: 'Bearer nope' } })).status, 401);
    assert.equal(upstream.upgrades.length, before);
    const token = await signHs(SECRET, claims({ sub: 'ws-user' }));
    const { ws, status } = await open(gw.port, '/wsauth/x', { origin: ORIGIN, headers: { authorization: `Bearer ${token}` } });
    assert.equal(status, undefined);
    assert.equal(upstream.upgrades.at(-1)!.headers['x-user-id'], 'ws-user');
    ws.close();
    await closed(ws);
  });

  it('rate-limits upgrades (429)', async () => {
    const statuses: (number | undefined)[] = [];
    const sockets: WebSocket[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await open(gw.port, '/wslimit/x', { origin: ORIGIN, localAddress: '127.0.0.11' });
      statuses.push(r.status);
      if (r.status === undefined) sockets.push(r.ws);
    }
    assert.deepEqual(statuses, [undefined, undefined, 429]);
    for (const s of sockets) s.close();
    await Promise.all(sockets.map(closed));
  });

  it('validates the handshake: key → 400, version → 426 with Sec-WebSocket-Version: 13 (RFC 6455 §4.4)', async () => {
    const before = upstream.upgrades.length;
    const base = { Origin: ORIGIN, 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': KEY };
    const missingKey = await raw(gw.port, upgradeRequest('/ws/echo', { ...base, 'Sec-WebSocket-Key': undefined }));
    assert.match(missingKey.text, /^HTTP\/1\.1 400 /);
    const badKey = await raw(gw.port, upgradeRequest('/ws/echo', { ...base, 'Sec-WebSocket-Key': 'c2hvcnQ=' }));
    assert.match(badKey.text, /^HTTP\/1\.1 400 /);
    for (const version of ['99', '8', undefined]) {
      const r = await raw(gw.port, upgradeRequest('/ws/echo', { ...base, 'Sec-WebSocket-Version': version }));
      assert.match(r.text, /^HTTP\/1\.1 426 /, `version ${version}`);
      assert.match(r.text, /\r\nsec-websocket-version: 13\r\n/i);
    }
    assert.equal(upstream.upgrades.length, before);
  });

  it('closes with 1009 when a message exceeds route.bodyLimitMb', async () => {
    const { ws } = await open(gw.port, '/wssmall/echo', { origin: ORIGIN });
    const done = closed(ws);
    ws.send(Buffer.alloc(2048, 1));
    const { code } = await done;
    assert.equal(code, 1009);
    await until(() => upstream.sockets.size === 0, 2000, 'upstream leg closed');
  });

  it('relays a non-101 upstream answer and keeps the connection HTTP (no tunnel)', async () => {
    const httpBefore = upstream.httpRequests.length;
    // The second request rides in the same packet, right behind the upgrade request.
    const next = 'GET /plain/after HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n';
    const r = await raw(gw.port, upgradeRequest('/ws/refuse', { Origin: ORIGIN, 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': KEY }) + next, { waitMs: 3000 });
    const statuses = [...r.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    assert.deepEqual(statuses, ['403', '200'], r.text);
    assert.ok(r.text.includes('{"refused":true}'));
    assert.ok(r.text.includes('{"http":"/after"}'), 'the next request was not routed as HTTP');
    assert.equal(upstream.httpRequests.length - httpBefore, 1);
    // A 200 to an upgrade is no switch either.
    const ok = await raw(gw.port, upgradeRequest('/ws/ok200', { Origin: ORIGIN, 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': KEY }) + next, { waitMs: 3000 });
    assert.deepEqual(
      [...ok.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]),
      ['200', '200'],
    );
    assert.ok(ok.text.includes('plain http'));
  });

  it('propagates closes both ways with their codes', async () => {
    const a = await open(gw.port, '/ws/echo', { origin: ORIGIN });
    const done = closed(a.ws);
    a.ws.send('close-me');
    const started = Date.now();
    assert.equal((await done).code, 4000);
    assert.ok(Date.now() - started < 1000);

    const b = await open(gw.port, '/ws/echo', { origin: ORIGIN });
    const n = upstream.closes.length;
    b.ws.close(4001, 'client bye');
    await until(() => upstream.closes.length > n, 1000, 'upstream close');
    assert.equal(upstream.closes.at(-1), 4001);
  });

  it('closes the upstream leg when the client vanishes', async () => {
    const { ws } = await open(gw.port, '/ws/echo', { origin: ORIGIN });
    await until(() => upstream.sockets.size > 0, 1000, 'upstream open');
    const n = upstream.closes.length;
    ws.terminate();
    await until(() => upstream.closes.length > n, 2000, 'upstream close after client reset');
  });
});

describe('WebSocket lifecycle', () => {
  it('allows any Origin (and none) when the allow-list is empty; idle connections close with 1001', async () => {
    const upstream = await startWsUpstream();
    const gw = await startGateway(wsConfig(upstream.port, []), { env: { JWT_SECRET: SECRET }, websocket: { idleTimeoutMs: 300 } });
    try {
      const a = await open(gw.port, '/ws/echo');
      const b = await open(gw.port, '/ws/echo', { origin: 'https://anything.example' });
      assert.equal(a.status, undefined);
      assert.equal(b.status, undefined);
      b.ws.close();
      const started = Date.now();
      const { code } = await closed(a.ws);
      assert.equal(code, 1001);
      const ms = Date.now() - started;
      assert.ok(ms >= 250 && ms < 1500, `idle close after ${ms} ms`);
    } finally {
      await gw.close();
      await upstream.close();
    }
  });

  it('sends 1001 to open connections on shutdown', async () => {
    const upstream = await startWsUpstream();
    const gw = await startGateway(wsConfig(upstream.port, []), { env: { JWT_SECRET: SECRET } });
    try {
      const { ws } = await open(gw.port, '/ws/echo');
      const done = closed(ws);
      await sleep(50);
      await gw.close();
      assert.equal((await done).code, 1001);
      await until(() => upstream.sockets.size === 0, 2000, 'upstream leg closed');
    } finally {
      await gw.close();
      await upstream.close();
    }
  });
});
