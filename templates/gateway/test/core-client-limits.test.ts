// security.md tests 19 (slow clients: C12 — slowloris → 408, slow body → 408, slow reader released,
// an idle-socket flood from one address does not starve another) and 20 (size limits through the
// proxy path: C11, A9 — 413 on declared and streamed bodies, 431 on headers and long request lines).
// Node enforces its timeouts from a sweep every connectionsCheckingInterval: 100 ms here.
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Gateway } from '../src/server.js';
import { closeGateways, get, isFixedErrorBody, route, service, startGateway, testConfig } from './support/gateway.js';
import { openSocket, raw, readResponse, sleep, waitClosed, waitFor } from './support/net.js';
import { nonHealth, startEcho, type Echo } from './support/upstream.js';

const H = 'Host: gw.test\r\n';

describe('slow clients (security.md 19)', () => {
  let echo: Echo;
  let gw: Gateway;
  before(async () => {
    echo = await startEcho();
    echo.handle = (req, res) => {
      if (req.url !== '/big') return false;
      // 20 MiB, written as fast as the gateway takes it.
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 20 * 1024 * 1024 });
      const chunk = Buffer.alloc(64 * 1024, 120);
      let left = 320;
      const pump = (): void => {
        while (left > 0) {
          left--;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return true;
    };
    gw = await startGateway(
      testConfig({
        services: [service('api', echo.port)],
        routes: [route('api', '/api', 'api')],
        limits: { clientHeaderTimeoutSeconds: 0.5, clientBodyTimeoutSeconds: 0.5 },
      }),
      { connectionsCheckingIntervalMs: 100, maxConnectionsPerIp: 50 },
    );
  });
  after(async () => {
    await closeGateways();
    await echo.close();
  });

  it('both Node deadlines are set and headersTimeout ≤ requestTimeout', () => {
    assert.ok(gw.server.headersTimeout > 0);
    assert.ok(gw.server.requestTimeout > 0);
    assert.ok(gw.server.headersTimeout <= gw.server.requestTimeout);
    assert.ok(gw.server.keepAliveTimeout >= 60_000, 'above a 60 s load-balancer idle timeout');
  });

  it('slowloris: one header line every 200 ms → 408 and closed within the header timeout', async () => {
    const sock = await openSocket(gw.port);
    const t0 = Date.now();
    sock.write(`GET /api/x HTTP/1.1\r\n${H}`);
    const timer = setInterval(() => {
      if (!sock.destroyed) sock.write(`X-Drip-${Date.now()}: 1\r\n`);
    }, 200);
    try {
      const r = await readResponse(sock, 3000);
      assert.equal(r.status, 408);
      assert.ok(isFixedErrorBody(r.body, 408));
      assert.ok(await waitClosed(sock, 1000));
      assert.ok(Date.now() - t0 < 1500, `${Date.now() - t0} ms`);
    } finally {
      clearInterval(timer);
      sock.destroy();
    }
  });

  it('slow body: one byte every 200 ms → 408 within the request deadline, the upstream request aborted', async () => {
    const sock = await openSocket(gw.port);
    const t0 = Date.now();
    sock.write(`POST /api/slow-body HTTP/1.1\r\n${H}Content-Length: 100\r\n\r\n`);
    const timer = setInterval(() => {
      if (!sock.destroyed) sock.write('a');
    }, 200);
    try {
      const r = await readResponse(sock, 4000);
      assert.equal(r.status, 408);
      assert.ok(Date.now() - t0 < 2000, `${Date.now() - t0} ms`);
      const seen = nonHealth(echo.seen).find((s) => s.url === '/slow-body');
      if (seen) await waitFor(() => seen.closedEarly, 1000, 'upstream aborted');
    } finally {
      clearInterval(timer);
      sock.destroy();
    }
  });

  it('slow reader: a client that stops reading is cut after the send timeout and the upstream released', async () => {
    const sock: Socket = await openSocket(gw.port);
    sock.on('error', () => undefined);
    sock.write(`GET /api/big HTTP/1.1\r\n${H}\r\n`);
    sock.pause(); // read nothing
    const seen = await waitFor(() => nonHealth(echo.seen).find((s) => s.url === '/big'), 2000);
    const t0 = Date.now();
    // Nothing is read on the client side; the gateway must give up on its own (send timeout 0.5 s)
    // and destroy the upstream connection that was serving it (closedEarly: closed before the end).
    await waitFor(() => seen.closedEarly, 3000, 'upstream response aborted');
    assert.ok(Date.now() - t0 < 2500, `${Date.now() - t0} ms`);
    // Now read what was buffered: the response is truncated and the connection is gone.
    let bytes = 0;
    sock.on('data', (d: Buffer) => (bytes += d.length));
    assert.ok(await waitClosed(sock, 3000), 'the gateway closed the stalled connection');
    assert.ok(bytes < 20 * 1024 * 1024, `${bytes} bytes`);
  });

  it('an idle-socket flood from one address is capped and does not starve another address', async () => {
    const socks: Socket[] = [];
    let closed = 0;
    for (let i = 0; i < 100; i++) {
      const s = await openSocket(gw.port, '127.0.0.2');
      s.on('close', () => closed++);
      s.on('error', () => undefined);
      socks.push(s);
    }
    try {
      await waitFor(() => closed >= 50, 1000, 'connections over the per-address cap closed');
      const r = await get(gw.port, '/api/x', { localAddress: '127.0.0.3' });
      assert.equal(r.status, 200);
    } finally {
      for (const s of socks) s.destroy();
    }
  });
});

describe('size limits (security.md 20)', () => {
  let echo: Echo;
  let gw: Gateway;
  before(async () => {
    echo = await startEcho();
    gw = await startGateway(testConfig({ services: [service('api', echo.port)], routes: [route('api', '/api', 'api', { bodyLimitMb: 1 })], limits: { headerKb: 16 } }));
  });
  after(async () => {
    await closeGateways();
    await echo.close();
  });

  it('a declared Content-Length over the limit → 413 before any of the body is read; upstream untouched', async () => {
    const before = nonHealth(echo.seen).length;
    const r = await raw(gw.port, `POST /api/up HTTP/1.1\r\n${H}Content-Length: 10485761\r\n\r\n`);
    assert.equal(r.status, 413);
    assert.ok(isFixedErrorBody(r.body, 413));
    assert.equal(r.closed, true);
    assert.ok(r.ms < 500, `${r.ms} ms`);
    assert.equal(nonHealth(echo.seen).length, before);
  });

  it('with Expect: 100-continue, an oversized upload is refused without a 100', async () => {
    const r = await raw(gw.port, `POST /api/up HTTP/1.1\r\n${H}Content-Length: 10485761\r\nExpect: 100-continue\r\n\r\n`);
    assert.match(r.text, /^HTTP\/1\.1 413 /);
  });

  it('a chunked body crossing the limit → 413, connection closed, upstream request aborted', async () => {
    const sock = await openSocket(gw.port);
    sock.on('error', () => undefined);
    sock.write(`POST /api/stream HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n`);
    const chunk = `10000\r\n${'b'.repeat(0x10000)}\r\n`;
    let answered = false;
    const response = readResponse(sock, 5000).then((r) => {
      answered = true;
      return r;
    });
    for (let i = 0; i < 40 && !answered && !sock.destroyed; i++) {
      sock.write(chunk);
      await sleep(5);
    }
    const r = await response;
    assert.equal(r.status, 413);
    assert.ok(await waitClosed(sock, 2000));
    const seen = nonHealth(echo.seen).find((s) => s.url === '/stream');
    if (seen) {
      await waitFor(() => seen.closedEarly || seen.complete, 1000);
      assert.equal(seen.complete, false, 'the upstream never got a complete oversized body');
    }
    sock.destroy();
  });

  it('a 20 KiB header → 431 and closed', async () => {
    const r = await raw(gw.port, `GET /api/x HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    assert.equal(r.status, 431);
    assert.ok(isFixedErrorBody(r.body, 431));
    assert.equal(r.closed, true);
  });

  it('a 20 KiB request line → 431 (the request line counts against limits.headerKb; there is no separate 414)', async () => {
    const r = await raw(gw.port, `GET /api/${'a'.repeat(20 * 1024)} HTTP/1.1\r\n${H}\r\n`);
    assert.equal(r.status, 431);
  });

  it('a huge chunk extension → 413 (Node: HPE_CHUNK_EXTENSIONS_OVERFLOW)', async () => {
    const r = await raw(gw.port, `POST /api/x HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n1;${'e'.repeat(20 * 1024)}\r\nx\r\n0\r\n\r\n`);
    assert.equal(r.status, 413);
    assert.equal(r.closed, true);
  });

  it('a body within the limit passes, chunked or not', async () => {
    const body = 'c'.repeat(1024 * 1024);
    assert.equal(JSON.parse((await get(gw.port, '/api/ok', { method: 'POST', body })).body).bytes, body.length);
    const r = await raw(gw.port, `POST /api/ok HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n`);
    assert.equal(JSON.parse(r.body).bytes, 5);
  });
});
