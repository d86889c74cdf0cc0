// security.md tests 14 (upstream down / malformed responses → 502 with fixed bodies: D1, D2, D6,
// D8, C17), 15 (upstream timeout → 504 and the upstream aborted: D4, D5) and 16 (truncation and
// disconnect propagation: D7, D9, D10).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Gateway } from '../src/server.js';
import { closeGateways, get, isFixedErrorBody, route, service, startGateway, testConfig } from './support/gateway.js';
import { deadPort, fdCount, openSocket, parseResponse, raw, sleep, waitFor } from './support/net.js';
import { nonHealth, startEcho, startScripted, type Echo, type Scripted } from './support/upstream.js';

const H = 'Host: gw.test\r\n';

/** Hostile upstream responses, by request path (nginx proxy_duplicate_headers.t and friends). */
const MALFORMED: Record<string, string | null> = {
  '/cl-foo': 'HTTP/1.1 200 OK\r\nContent-Length: foo\r\n\r\nok',
  '/cl-dup': 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n',
  '/cl-dup-diff': 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nokk',
  '/te-foo': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: foo\r\n\r\nsome body',
  '/te-dup': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
  '/cl-te': 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
  '/te-cl': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\nok\r\n0\r\n\r\n',
  '/garbage': 'garbage garbage\r\n\r\n',
  '/bad-status': 'HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n',
  '/bare-cr': 'HTTP/1.1 200 OK\r\nX-A: a\rInjected: 1\r\nContent-Length: 0\r\n\r\n',
  '/big-headers': `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70 * 1024)}\r\nContent-Length: 0\r\n\r\n`,
  '/close-before-headers': null,
};

describe('upstream down or malformed (security.md 14)', () => {
  let up: Scripted;
  let gw: Gateway;
  let refusedGw: Gateway;
  let dnsGw: Gateway;
  before(async () => {
    up = await startScripted((sock, data) => {
      const path = /^[A-Z]+ (\S+)/.exec(data)?.[1] ?? '/';
      if (path === '/extra') return void sock.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nokEXTRA-BYTES');
      if (path === '/head-body') return void sock.end('HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody');
      if (path === '/fine') return void sock.end('HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nfine');
      const answer = MALFORMED[path];
      if (answer === null || answer === undefined) return void sock.destroy();
      sock.end(answer);
    });
    const config = testConfig({ services: [service('api', up.port)], routes: [route('api', '/', 'api', { stripPrefix: false })] });
    gw = await startGateway(config);
    refusedGw = await startGateway(testConfig({ services: [service('api', await deadPort())], routes: [route('api', '/', 'api')] }));
    dnsGw = await startGateway(testConfig({ services: [service('api', 80, 1, { host: 'nonexistent.invalid' })], routes: [route('api', '/', 'api')], limits: { connectTimeoutSeconds: 1 } }));
  });
  after(async () => {
    await closeGateways();
    await up.close();
  });

  const assertClean = (r: { status: number; body: string }, status: number): void => {
    assert.equal(r.status, status, r.body);
    assert.ok(isFixedErrorBody(r.body, status), r.body);
    assert.doesNotMatch(r.body, /127\.0\.0\.1|\d{4,5}|ECONN|UND_ERR|HPE_|stack|invalid/i);
  };

  it('connection refused → 502 at once, no address in the body, no Server/X-Powered-By', async () => {
    const r = await get(refusedGw.port, '/x');
    assertClean(r, 502);
    assert.ok(r.ms < 500, `${r.ms} ms`);
    assert.equal(r.headers.server, undefined);
    assert.equal(r.headers['x-powered-by'], undefined);
  });

  it('a name that does not resolve → 502 within the connect timeout', async () => {
    const r = await get(dnsGw.port, '/x', { timeoutMs: 4000 });
    assert.ok(r.status === 502 || r.status === 504, String(r.status));
    assert.ok(isFixedErrorBody(r.body, r.status));
  });

  for (const path of Object.keys(MALFORMED)) {
    it(`${path} → 502, and the gateway keeps serving`, async () => {
      assertClean(await get(gw.port, path), 502);
      const ok = await get(gw.port, '/fine');
      assert.equal(ok.body, 'fine');
    });
  }

  it('bytes after the Content-Length body are not forwarded', async () => {
    const r = await raw(gw.port, `GET /extra HTTP/1.1\r\n${H}Connection: close\r\n\r\n`);
    assert.equal(r.body, 'ok');
    assert.doesNotMatch(r.text, /EXTRA/);
  });

  it('a HEAD answer carries no body', async () => {
    const r = await raw(gw.port, `HEAD /head-body HTTP/1.1\r\n${H}Connection: close\r\n\r\n`, { timeoutMs: 1500 });
    assert.equal(parseResponse(r.text).status, 200);
    assert.ok(r.text.endsWith('\r\n\r\n'), JSON.stringify(r.text));
  });
});

describe('upstream timeouts (security.md 15)', () => {
  let echo: Echo;
  let staller: Scripted;
  let gw: Gateway;
  before(async () => {
    echo = await startEcho();
    echo.handle = (req, res) => {
      if (req.url === '/slow') {
        const t = setTimeout(() => res.end('late'), 3000);
        res.on('close', () => clearTimeout(t));
        return true;
      }
      return false;
    };
    staller = await startScripted((sock) => {
      sock.write(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n${'x'.repeat(1024)}\r\n`);
      // …and nothing more.
    });
    gw = await startGateway(
      testConfig({
        services: [service('api', echo.port), service('stall', staller.port)],
        routes: [route('api', '/api', 'api', { timeoutSeconds: 0.5 }), route('stall', '/stall', 'stall', { timeoutSeconds: 0.5 })],
      }),
    );
  });
  after(async () => {
    await closeGateways();
    await echo.close();
    await staller.close();
  });

  it('response headers later than the route timeout → 504 at the timeout, the upstream request aborted', async () => {
    const r = await get(gw.port, '/api/slow');
    assert.equal(r.status, 504);
    assert.ok(isFixedErrorBody(r.body, 504));
    assert.ok(r.ms >= 450 && r.ms < 1500, `${r.ms} ms`);
    const seen = nonHealth(echo.seen).find((s) => s.url === '/slow')!;
    await waitFor(() => seen.closedEarly, 1000, 'upstream request aborted');
  });

  it('an upstream stalling mid-body → the client connection is closed without the final chunk', async () => {
    const r = await raw(gw.port, `GET /stall/x HTTP/1.1\r\n${H}\r\n`, { timeoutMs: 3000 });
    assert.equal(r.status, 200);
    assert.equal(r.closed, true);
    assert.equal(parseResponse(r.text).complete, false);
    assert.ok(!r.text.endsWith('0\r\n\r\n'));
    assert.ok(r.ms < 2000, `${r.ms} ms`);
    await waitFor(() => staller.sockets.size === 0, 1000, 'upstream socket destroyed');
  });
});

describe('truncation and disconnects (security.md 16)', () => {
  let echo: Echo;
  let up: Scripted;
  let gw: Gateway;
  let fdBase = 0;
  before(async () => {
    fdBase = fdCount();
    echo = await startEcho();
    echo.handle = (req, res) => {
      if (req.url === '/drip') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const t = setInterval(() => res.write('x'.repeat(1024)), 20);
        res.on('close', () => clearInterval(t));
        return true;
      }
      return false;
    };
    up = await startScripted((sock, data) => {
      const path = /^[A-Z]+ (\S+)/.exec(data)?.[1] ?? '/';
      if (path === '/partial-chunked') {
        sock.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\npartial-\r\n');
        setTimeout(() => sock.destroy(), 50);
      } else if (path === '/short-cl') {
        sock.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n123456789');
        setTimeout(() => sock.destroy(), 50);
      } else if (path === '/early') {
        // Answer while the upload is still arriving, then close (D9).
        setTimeout(() => sock.end('HTTP/1.1 413 Payload Too Large\r\nContent-Length: 8\r\nConnection: close\r\n\r\ntoo much'), 20);
      }
    });
    gw = await startGateway(
      testConfig({
        services: [service('api', echo.port), service('raw', up.port)],
        routes: [route('api', '/api', 'api', { bodyLimitMb: 10 }), route('raw', '/raw', 'raw', { bodyLimitMb: 10 })],
      }),
    );
  });
  after(async () => {
    await closeGateways();
    await echo.close();
    await up.close();
    await sleep(100);
    const fds = fdCount();
    if (fdBase > 0) assert.ok(fds <= fdBase + 2, `file descriptors back to baseline (${fdBase} → ${fds})`);
  });

  it('reset mid-response (chunked) → 200 without the final chunk, connection closed', async () => {
    const r = await raw(gw.port, `GET /raw/partial-chunked HTTP/1.1\r\n${H}\r\n`);
    assert.equal(r.status, 200);
    assert.equal(r.closed, true);
    assert.match(r.text, /partial-/);
    assert.equal(parseResponse(r.text).complete, false);
  });

  it('short Content-Length body → fewer bytes than announced, connection closed', async () => {
    const r = await raw(gw.port, `GET /raw/short-cl HTTP/1.1\r\n${H}\r\n`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-length'], '100');
    assert.equal(r.closed, true);
    assert.ok(r.body.length < 100);
  });

  it('an upstream answering early during an upload → the answer is delivered promptly and the connection closed', async () => {
    const sock = await openSocket(gw.port);
    const got: Buffer[] = [];
    sock.on('data', (d: Buffer) => got.push(d));
    sock.on('error', () => undefined);
    const t0 = Date.now();
    sock.write(`POST /raw/early HTTP/1.1\r\n${H}Content-Length: ${5 * 1024 * 1024}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 97);
    let sent = 0;
    while (!sock.destroyed && sent < 5 * 1024 * 1024 && !Buffer.concat(got).toString().includes('413')) {
      if (!sock.write(chunk)) await new Promise((r) => setTimeout(r, 5));
      sent += chunk.length;
      await sleep(2);
    }
    await waitFor(() => Buffer.concat(got).toString('latin1').includes('too much'), 2000, 'the 413');
    assert.match(Buffer.concat(got).toString('latin1'), /^HTTP\/1\.1 413/);
    assert.ok(Date.now() - t0 < 2000);
    await waitFor(() => sock.destroyed || sock.readableEnded, 2000, 'connection closed');
    sock.destroy();
  });

  it('client abort mid-upload → the upstream request is aborted quickly', async () => {
    const sock = await openSocket(gw.port);
    sock.on('error', () => undefined);
    sock.write(`POST /api/upload HTTP/1.1\r\n${H}Content-Length: 1000000\r\n\r\n${'a'.repeat(10_000)}`);
    const seen = await waitFor(() => nonHealth(echo.seen).find((s) => s.url === '/upload'), 2000, 'upload started upstream');
    const t0 = Date.now();
    sock.destroy();
    await waitFor(() => seen.closedEarly, 1000, 'upstream saw the abort');
    assert.ok(Date.now() - t0 < 500, `${Date.now() - t0} ms`);
  });

  it('client abort mid-download → the upstream response is aborted quickly', async () => {
    const sock = await openSocket(gw.port);
    sock.on('error', () => undefined);
    sock.write(`GET /api/drip HTTP/1.1\r\n${H}\r\n`);
    await new Promise((r) => sock.once('data', r));
    const seen = nonHealth(echo.seen).find((s) => s.url === '/drip')!;
    const t0 = Date.now();
    sock.destroy();
    await waitFor(() => seen.closedEarly, 1000, 'upstream saw the abort');
    assert.ok(Date.now() - t0 < 500, `${Date.now() - t0} ms`);
  });
});
