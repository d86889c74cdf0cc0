// Upgrade requests through the core: the same guards as any request; a WebSocket upgrade on a
// websocket route goes to policies.upgrade (route, client address, the raw socket); without it,
// 501; an Upgrade on any other route is ignored (RFC 9110 §7.8) and served as plain HTTP with the
// Upgrade fields stripped, the connection closed afterwards; unknown paths 404.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Gateway } from '../src/server.js';
import type { RouteConfig } from '../src/types.js';
import { closeGateways, route, service, startGateway, testConfig } from './support/gateway.js';
import { raw } from './support/net.js';
import { nonHealth, startEcho, type Echo } from './support/upstream.js';

const WS = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

describe('upgrade requests through the core', () => {
  let echo: Echo;
  let gw: Gateway;
  let bare: Gateway;
  const handed: { route: RouteConfig; clientIp: string; head: number }[] = [];
  before(async () => {
    echo = await startEcho();
    const config = testConfig({
      services: [service('api', echo.port)],
      routes: [route('ws', '/ws', 'api', { websocket: true }), route('api', '/api', 'api')],
      trustedProxies: ['127.0.0.1'],
    });
    gw = await startGateway(config, {
      policies: () => ({
        preAuth: [],
        auth: [],
        postAuth: [],
        upgrade(_req, socket, head, r, clientIp) {
          handed.push({ route: r, clientIp, head: head.length });
          socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
        },
        close: async () => undefined,
      }),
    });
    bare = await startGateway(config);
  });
  after(async () => {
    await closeGateways();
    await echo.close();
  });

  it('a WebSocket upgrade on a websocket route is handed to policies.upgrade with the route and the resolved client address', async () => {
    const r = await raw(gw.port, `GET /ws/chat HTTP/1.1\r\nHost: gw.test\r\nX-Forwarded-For: 203.0.113.9\r\n${WS}\r\n`);
    assert.equal(r.status, 101);
    assert.equal(handed.length, 1);
    assert.equal(handed[0]!.route.name, 'ws');
    assert.equal(handed[0]!.clientIp, '203.0.113.9');
  });

  it('the core guards run first: a bad path or an underscore header never reaches the upgrade policy', async () => {
    const before = handed.length;
    assert.equal((await raw(gw.port, `GET /ws/%2e%2e/x HTTP/1.1\r\nHost: gw.test\r\n${WS}\r\n`)).status, 400);
    assert.equal((await raw(gw.port, `GET /ws/x HTTP/1.1\r\nHost: gw.test\r\nX_User: a\r\n${WS}\r\n`)).status, 400);
    assert.equal((await raw(gw.port, `GET /nowhere HTTP/1.1\r\nHost: gw.test\r\n${WS}\r\n`)).status, 404);
    assert.equal((await raw(gw.port, `POST /ws/x HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 5\r\n${WS}\r\nhello`)).status, 400);
    assert.equal(handed.length, before);
  });

  it('without an upgrade policy, a websocket route answers 501', async () => {
    const r = await raw(bare.port, `GET /ws/chat HTTP/1.1\r\nHost: gw.test\r\n${WS}\r\n`);
    assert.equal(r.status, 501);
    assert.equal(r.closed, true);
  });

  it('an Upgrade on a plain route is ignored: served as HTTP, Upgrade stripped, connection closed', async () => {
    const r = await raw(gw.port, `GET /api/x HTTP/1.1\r\nHost: gw.test\r\n${WS}\r\n`);
    assert.equal(r.status, 200);
    assert.equal(r.closed, true);
    const seen = nonHealth(echo.seen).at(-1)!;
    assert.equal(seen.headers.upgrade, undefined);
    assert.equal(seen.headers['sec-websocket-key'], 'dGhlIHNhbXBsZSBub25jZQ==');
  });
});
