// security.md test 1 (C8): request smuggling. Every malformed framing is refused with 400 (or 501
// for an unknown transfer coding), the connection is closed, and the upstream sees nothing; a
// new connection still works. Outbound framing: never CL and TE together, byte counts match.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeGateways, route, service, startGateway, testConfig } from './support/gateway.js';
import { parseResponse, raw, waitFor } from './support/net.js';
import { nonHealth, startEcho, startScripted, type Echo, type Scripted } from './support/upstream.js';
import type { Gateway } from '../src/server.js';

const H = 'Host: gw.test\r\n';

/** The C8 table (lab-verified against Node 20 / llhttp 9), plus transfer codings the gateway refuses itself. */
const SMUGGLING: [string, string, number][] = [
  ['CL.TE', `POST /api/x HTTP/1.1\r\n${H}Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG`, 400],
  ['TE.CL', `POST /api/x HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n`, 400],
  ['duplicate identical Content-Length', `POST /api/x HTTP/1.1\r\n${H}Content-Length: 1\r\nContent-Length: 1\r\n\r\nA`, 400],
  ['duplicate different Content-Length', `POST /api/x HTTP/1.1\r\n${H}Content-Length: 1\r\nContent-Length: 2\r\n\r\nAB`, 400],
  ['Transfer-Encoding: identity', `POST /api/x HTTP/1.1\r\n${H}Transfer-Encoding: identity\r\n\r\n`, 400],
  ['Transfer-Encoding: chunked, chunked', `POST /api/x HTTP/1.1\r\n${H}Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n`, 400],
  ['Transfer-Encoding: xchunked', `POST /api/x HTTP/1.1\r\n${H}Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n`, 400],
  ['space before colon', `POST /api/x HTTP/1.1\r\n${H}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n`, 400],
  ['obs-fold', `POST /api/x HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n , identity\r\n\r\n0\r\n\r\n`, 400],
  ['bare LF', `GET /api/x HTTP/1.1\nHost: gw.test\n\n`, 400],
  ['Content-Length: +5', `POST /api/x HTTP/1.1\r\n${H}Content-Length: +5\r\n\r\nhello`, 400],
  ['huge chunk size', `POST /api/x HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nx\r\n0\r\n\r\n`, 400],
  ['NUL in a header value', `GET /api/x HTTP/1.1\r\n${H}X-A: a\0b\r\n\r\n`, 400],
  ['HTTP/1.1 without Host', `GET /api/x HTTP/1.1\r\n\r\n`, 400],
  ['Transfer-Encoding: gzip, chunked (unsupported coding, RFC 9112 §6.1)', `POST /api/x HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`, 501],
];

describe('request smuggling (security.md 1)', () => {
  let echo: Echo;
  let gw: Gateway;
  before(async () => {
    echo = await startEcho();
    gw = await startGateway(testConfig({ services: [service('api', echo.port)], routes: [route('api', '/api', 'api')] }));
  });
  after(async () => {
    await closeGateways();
    await echo.close();
  });

  for (const [name, payload, status] of SMUGGLING) {
    it(`${name} → ${status}, closed, upstream untouched`, async () => {
      const before = nonHealth(echo.seen).length;
      const r = await raw(gw.port, payload);
      assert.equal(r.status, status, r.text);
      assert.equal(r.closed, true, 'connection closed');
      assert.doesNotMatch(r.text, /SMUGGLED|HTTP\/1\.1 200/);
      assert.equal(nonHealth(echo.seen).length, before, 'upstream saw nothing');
      const next = await raw(gw.port, `GET /api/after HTTP/1.1\r\n${H}Connection: close\r\n\r\n`);
      assert.equal(next.status, 200, 'a new connection still works');
    });
  }

  it('pipelined requests are answered in order, none mixed', async () => {
    const r = await raw(gw.port, `GET /api/one HTTP/1.1\r\n${H}\r\nGET /api/two HTTP/1.1\r\n${H}Connection: close\r\n\r\n`, { timeoutMs: 3000 });
    const first = parseResponse(r.text);
    const second = parseResponse(first.rest);
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal((JSON.parse(first.body) as { url: string }).url, '/one');
    assert.equal((JSON.parse(second.body) as { url: string }).url, '/two');
  });
});

describe('outbound framing (security.md 1b)', () => {
  let up: Scripted;
  let gw: Gateway;
  before(async () => {
    // Reads the whole request (CL or chunked), then answers 200; keeps the bytes it received.
    up = await startScripted((sock, _data, conn) => {
      const check = (): void => {
        const all = up.received[conn]!;
        const head = all.slice(0, all.indexOf('\r\n\r\n'));
        const body = all.slice(all.indexOf('\r\n\r\n') + 4);
        const cl = /content-length: (\d+)/i.exec(head);
        const done = cl ? body.length >= Number(cl[1]) : /transfer-encoding: chunked/i.test(head) ? body.endsWith('0\r\n\r\n') : true;
        if (done) sock.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
        else sock.once('data', check);
      };
      check();
    });
    gw = await startGateway(testConfig({ services: [service('api', up.port)], routes: [route('api', '/api', 'api', { bodyLimitMb: 1 })] }));
  });
  after(async () => {
    await closeGateways();
    await up.close();
  });

  const lastRequest = (): { head: string; body: string } => {
    const all = up.received[up.received.length - 1]!;
    const i = all.indexOf('\r\n\r\n');
    return { head: all.slice(0, i), body: all.slice(i + 4) };
  };

  it('a chunked upload goes out chunked, without Content-Length, bytes intact', async () => {
    const r = await raw(gw.port, `POST /api/u HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n`);
    assert.equal(r.status, 200);
    const { head, body } = lastRequest();
    assert.match(head, /transfer-encoding: chunked/i);
    assert.doesNotMatch(head, /content-length/i);
    const decoded = body
      .split('\r\n')
      .filter((_, i) => i % 2 === 1)
      .join('');
    assert.equal(decoded, 'hello world');
  });

  it('a Content-Length upload goes out with that length and no Transfer-Encoding', async () => {
    const payload = 'x'.repeat(70_000); // above the retry buffer: streamed
    const r = await raw(gw.port, `PUT /api/u HTTP/1.1\r\n${H}Content-Length: ${payload.length}\r\nConnection: close\r\n\r\n${payload}`);
    assert.equal(r.status, 200);
    const { head, body } = lastRequest();
    assert.match(head, new RegExp(`content-length: ${payload.length}`, 'i'));
    assert.doesNotMatch(head, /transfer-encoding/i);
    assert.equal(body.length, payload.length);
  });

  it('Expect: 100-continue is answered by the gateway and not forwarded; TE other than trailers is dropped', async () => {
    const r = await raw(gw.port, [`POST /api/u HTTP/1.1\r\n${H}Content-Length: 5\r\nExpect: 100-continue\r\nTE: gzip\r\nConnection: close\r\n\r\n`, 'hello']);
    assert.match(r.text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200/);
    const { head, body } = lastRequest();
    assert.doesNotMatch(head, /expect:/i);
    assert.doesNotMatch(head, /^te:/im);
    assert.equal(body, 'hello');
  });

  it('TE: trailers is kept', async () => {
    await raw(gw.port, `GET /api/t HTTP/1.1\r\n${H}TE: trailers\r\nConnection: close\r\n\r\n`);
    await waitFor(() => up.received.length > 0);
    assert.match(lastRequest().head, /^te: trailers$/im);
  });
});
