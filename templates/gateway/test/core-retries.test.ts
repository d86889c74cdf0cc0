// security.md test 9 (D12): retries only for idempotent requests, at most once, on another
// instance; a refused connection may be retried for any method (nothing was sent); bodies above
// the retry buffer are never replayed; upstream 503s are relayed, not retried.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { after, afterEach, describe, it } from 'node:test';
import type { Gateway } from '../src/server.js';
import { closeGateways, get, isFixedErrorBody, route, service, startGateway, testConfig } from './support/gateway.js';
import { freeRange, raw, sleep } from './support/net.js';
import { afterBody, startScripted, type Scripted } from './support/upstream.js';

type Behaviour = 'ok' | 'reset-after-body' | 'reset-on-head' | '503' | 'dead';

interface Farm {
  base: number;
  ups: (Scripted | undefined)[];
  /** Request heads received, per instance (health checks are off in these tests). */
  heads: string[][];
  close(): Promise<void>;
}

/** Instances on consecutive ports with the given behaviours; 'dead' leaves the port closed. */
async function farm(behaviours: Behaviour[]): Promise<Farm> {
  const base = await freeRange(behaviours.length);
  const heads: string[][] = behaviours.map(() => []);
  const ups: (Scripted | undefined)[] = [];
  for (let i = 0; i < behaviours.length; i++) {
    const b = behaviours[i]!;
    if (b === 'dead') {
      ups.push(undefined);
      continue;
    }
    const up: Scripted = await startScripted((sock: Socket, data, conn) => {
      heads[i]!.push(data.slice(0, data.indexOf('\r\n\r\n')));
      if (b === 'reset-on-head') return void sock.resetAndDestroy();
      afterBody(
        sock,
        () => up.received[conn]!,
        () => {
          if (b === 'reset-after-body') return void sock.resetAndDestroy();
          const all = up.received[conn]!;
          const body = all.slice(all.indexOf('\r\n\r\n') + 4);
          const text = b === '503' ? 'busy' : `instance ${i + 1} got ${body.length}`;
          sock.end(`HTTP/1.1 ${b === '503' ? '503 Service Unavailable' : '200 OK'}\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`);
        },
      );
    }, base + i);
    ups.push(up);
  }
  return { base, ups, heads, close: async () => void (await Promise.all(ups.map((u) => u?.close()))) };
}

const attempts = (f: Farm): number => f.heads.reduce((n, h) => n + h.length, 0);

async function gatewayFor(f: Farm, n: number): Promise<Gateway> {
  return startGateway(testConfig({ services: [service('api', f.base, n)], routes: [route('api', '/api', 'api', { bodyLimitMb: 2 })] }));
}

describe('retries (security.md 9)', () => {
  const farms: Farm[] = [];
  afterEach(async () => {
    await closeGateways();
    await Promise.all(farms.splice(0).map((f) => f.close()));
  });
  after(closeGateways);

  for (const method of ['POST', 'PATCH']) {
    it(`${method} reset after the body reached the upstream → exactly one attempt, 502`, async () => {
      const f = await farm(['reset-after-body', 'reset-after-body']);
      farms.push(f);
      const gw = await gatewayFor(f, 2);
      const r = await get(gw.port, '/api/pay', { method, body: 'amount=100' });
      assert.equal(r.status, 502);
      assert.ok(isFixedErrorBody(r.body, 502));
      assert.equal(attempts(f), 1);
    });
  }

  it('GET reset before a response → retried once on the other instance → 200', async () => {
    const f = await farm(['reset-on-head', 'ok']);
    farms.push(f);
    const gw = await gatewayFor(f, 2);
    const r = await get(gw.port, '/api/x');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'instance 2 got 0');
    assert.deepEqual(
      f.heads.map((h) => h.length),
      [1, 1],
    );
  });

  it('a small PUT body is buffered and replayed on the other instance', async () => {
    const f = await farm(['reset-after-body', 'ok']);
    farms.push(f);
    const gw = await gatewayFor(f, 2);
    const r = await get(gw.port, '/api/doc', { method: 'PUT', body: 'x'.repeat(1000) });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'instance 2 got 1000');
  });

  it('a PUT body larger than the retry buffer is never replayed', async () => {
    const f = await farm(['reset-after-body', 'ok']);
    farms.push(f);
    const gw = await gatewayFor(f, 2);
    const r = await get(gw.port, '/api/doc', { method: 'PUT', body: 'x'.repeat(100 * 1024) });
    assert.equal(r.status, 502);
    assert.equal(attempts(f), 1);
  });

  it('connection refused → a POST (even a streamed chunked one) is retried on the other instance: nothing was sent', async () => {
    const f = await farm(['dead', 'ok']);
    farms.push(f);
    const gw = await gatewayFor(f, 2);
    const r = await raw(gw.port, `POST /api/pay HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n`);
    assert.equal(r.status, 200);
    assert.match(r.body, /^instance 2 got /);
    assert.match(f.ups[1]!.received[0]!, /\r\n\r\n5\r\nhello\r\n0\r\n\r\n$/);
    // The refused instance is ejected: the next request goes straight to the live one.
    assert.equal((await get(gw.port, '/api/again', { method: 'POST', body: 'x' })).status, 200);
    assert.equal(attempts(f), 2);
  });

  it('every instance failing → at most two attempts, a fast 502', async () => {
    const f = await farm(['reset-on-head', 'reset-on-head', 'reset-on-head']);
    farms.push(f);
    const gw = await gatewayFor(f, 3);
    const r = await get(gw.port, '/api/x');
    assert.equal(r.status, 502);
    assert.ok(r.ms < 1000, `${r.ms} ms`);
    assert.equal(attempts(f), 2);
  });

  it('an upstream 503 is relayed, not retried', async () => {
    const f = await farm(['503', '503']);
    farms.push(f);
    const gw = await gatewayFor(f, 2);
    const r = await get(gw.port, '/api/x');
    assert.equal(r.status, 503);
    assert.equal(r.body, 'busy');
    assert.equal(attempts(f), 1);
  });

  it('stale keep-alive race: an upstream closing idle connections after 100 ms causes no 5xx', async () => {
    const up = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('fine'));
    });
    up.keepAliveTimeout = 100;
    await new Promise<void>((r) => up.listen(0, '127.0.0.1', r));
    try {
      const gw = await startGateway(testConfig({ services: [service('api', (up.address() as { port: number }).port)], routes: [route('api', '/api', 'api')] }));
      for (let i = 0; i < 6; i++) {
        assert.equal((await get(gw.port, '/api/x')).status, 200);
        await sleep(95 + (i % 3) * 5);
      }
    } finally {
      up.closeAllConnections();
      up.close();
    }
  });
});
