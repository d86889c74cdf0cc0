// security.md test 22 (D14): graceful shutdown, on the real entry point (src/main.ts as a child).
// SIGTERM → /healthz 503 at once; the in-flight request completes; a new request on a kept-alive
// socket gets 503 + Connection: close; new connections are refused; exit 0 before the deadline.
// A request still running at the deadline is cut and the exit code is 1.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { spawnGateway, writeEdgeYaml } from './support/child.js';
import { get, isFixedErrorBody } from './support/gateway.js';
import { openSocket, readResponse, waitFor } from './support/net.js';
import { nonHealth, startEcho, type Echo } from './support/upstream.js';

const H = 'Host: gw.test\r\n';

function edge(port: number): Record<string, unknown> {
  return {
    version: 1,
    name: 'drain-test',
    compute: 'containers',
    listen: { host: '127.0.0.1' },
    services: [{ name: 'api', port, instances: 1, health: '/healthz' }],
    routes: [{ name: 'api', path: '/api', service: 'api' }],
    gateway: { port: 8088 },
  };
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

describe('graceful drain on SIGTERM (security.md 22)', () => {
  let echo: Echo;
  let delayMs = 1500;
  let yaml: ReturnType<typeof writeEdgeYaml>;
  before(async () => {
    echo = await startEcho();
    echo.handle = (req, res) => {
      if (req.url !== '/slow') return false;
      const t = setTimeout(() => res.end('slow-done'), delayMs);
      res.on('close', () => clearTimeout(t));
      return true;
    };
    yaml = writeEdgeYaml(edge(echo.port));
  });
  after(async () => {
    await echo.close();
    yaml.cleanup();
  });

  it('drains: health 503, in-flight completes, kept-alive socket gets 503 + close, listener closed, exit 0', async () => {
    delayMs = 1500;
    const gw = await spawnGateway(yaml.file, { GATEWAY_DRAIN_MS: '8000', GATEWAY_HEALTH_INTERVAL_MS: '0' });
    try {
      assert.equal((await get(gw.adminPort, '/healthz')).status, 200);
      const keep = await openSocket(gw.port);
      keep.write(`GET /api/x HTTP/1.1\r\n${H}\r\n`);
      assert.equal((await readResponse(keep)).status, 200);

      const inflight = await openSocket(gw.port);
      inflight.write(`GET /api/slow HTTP/1.1\r\n${H}\r\n`);
      const slowDone = readResponse(inflight, 10_000);
      await waitFor(() => nonHealth(echo.seen).some((s) => s.url === '/slow'), 3000, 'slow request upstream');

      const t0 = Date.now();
      gw.child.kill('SIGTERM');
      await waitFor(async () => (await get(gw.adminPort, '/healthz').catch(() => ({ status: 0 }))).status === 503, 1000, 'health 503');
      assert.ok(Date.now() - t0 < 1000);

      keep.write(`GET /api/x HTTP/1.1\r\n${H}\r\n`);
      const late = await readResponse(keep);
      assert.equal(late.status, 503);
      assert.equal(late.headers.connection, 'close');
      assert.ok(isFixedErrorBody(late.body, 503));
      assert.equal(JSON.parse(late.body).error, 'draining');

      await waitFor(() => refused(gw.port), 1000, 'new connections refused');

      const done = await slowDone;
      assert.equal(done.status, 200);
      assert.equal(done.body, 'slow-done');

      const exit = await gw.exited;
      assert.equal(exit.code, 0, gw.output());
      assert.ok(exit.at - t0 < 8000, 'before the deadline');
      keep.destroy();
      inflight.destroy();
    } finally {
      gw.kill();
    }
  });

  it('a request still running at the deadline is cut, and the exit code says so', async () => {
    delayMs = 5000;
    const gw = await spawnGateway(yaml.file, { GATEWAY_DRAIN_MS: '500', GATEWAY_HEALTH_INTERVAL_MS: '0' });
    try {
      const sock = await openSocket(gw.port);
      sock.write(`GET /api/slow HTTP/1.1\r\n${H}\r\n`);
      const res = readResponse(sock, 5000);
      await waitFor(() => nonHealth(echo.seen).filter((s) => s.url === '/slow').length >= 2, 3000);
      const t0 = Date.now();
      gw.child.kill('SIGTERM');
      const r = await res;
      assert.equal(r.closed, true);
      assert.equal(r.status, 0, 'no response: cut');
      const exit = await gw.exited;
      assert.equal(exit.code, 1, gw.output());
      assert.ok(exit.at - t0 < 2500, `${exit.at - t0} ms`);
      const seen = nonHealth(echo.seen).filter((s) => s.url === '/slow').at(-1)!;
      await waitFor(() => seen.closedEarly, 1000, 'upstream request aborted');
      sock.destroy();
    } finally {
      gw.kill();
    }
  });

  it('SIGTERM with nothing in flight exits 0 at once', async () => {
    const gw = await spawnGateway(yaml.file, { GATEWAY_DRAIN_MS: '5000', GATEWAY_HEALTH_INTERVAL_MS: '0' });
    try {
      const t0 = Date.now();
      gw.child.kill('SIGTERM');
      const exit = await gw.exited;
      assert.equal(exit.code, 0, gw.output());
      assert.ok(exit.at - t0 < 1500, `${exit.at - t0} ms`);
    } finally {
      gw.kill();
    }
  });

  it('an invalid edge.yaml exits 2 with a message naming the field', async () => {
    const bad = writeEdgeYaml({ ...edge(echo.port), routes: [{ name: 'api', path: 'no-slash', service: 'api' }] });
    try {
      await assert.rejects(spawnGateway(bad.file), /routes\[0\]\.path/);
    } finally {
      bad.cleanup();
    }
  });
});
