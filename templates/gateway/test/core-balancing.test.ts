// security.md tests 17 (health checks and load balancing: D11) and 18 (circuit breaking / max
// pending: D13). Health checks here: interval 100 ms, timeout 200 ms, fall 2, rise 2.
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import type { Gateway } from '../src/server.js';
import { closeGateways, get, isFixedErrorBody, route, service, startGateway, testConfig } from './support/gateway.js';
import { freeRange, sleep, waitFor } from './support/net.js';
import { nonHealth, startEcho, type Echo } from './support/upstream.js';

const HEALTH = { intervalMs: 100, timeoutMs: 200, rise: 2, fall: 2 };

async function instances(n: number): Promise<{ base: number; echoes: Echo[] }> {
  const base = await freeRange(n);
  const echoes: Echo[] = [];
  for (let i = 0; i < n; i++) echoes.push(await startEcho(base + i, i + 1));
  return { base, echoes };
}

async function upstreamState(gw: Gateway): Promise<{ instance: number; healthy: boolean }[]> {
  const r = await get(gw.adminPort, '/upstreams');
  return (JSON.parse(r.body) as { instances: { instance: number; healthy: boolean }[] }[])[0]!.instances;
}

describe('health checks and load balancing (security.md 17)', () => {
  const echoes: Echo[] = [];
  afterEach(async () => {
    await closeGateways();
    await Promise.all(echoes.splice(0).map((e) => e.close().catch(() => undefined)));
  });
  after(closeGateways);

  it('round-robin over 3 healthy instances: 300 requests → 100 ± 1 each', async () => {
    const f = await instances(3);
    echoes.push(...f.echoes);
    const gw = await startGateway(testConfig({ services: [service('api', f.base, 3)], routes: [route('api', '/api', 'api')] }));
    for (let i = 0; i < 300; i++) assert.equal((await get(gw.port, '/api/x')).status, 200);
    for (const e of f.echoes) {
      const n = nonHealth(e.seen).length;
      assert.ok(Math.abs(n - 100) <= 1, `instance got ${n}`);
    }
  });

  it('a dead instance is taken out (GETs keep succeeding meanwhile) and re-admitted only after `rise` passes', async () => {
    const f = await instances(3);
    echoes.push(...f.echoes);
    const gw = await startGateway(testConfig({ services: [service('api', f.base, 3)], routes: [route('api', '/api', 'api')] }), { health: HEALTH });
    const b = f.echoes[1]!;
    await b.close();
    const t0 = Date.now();
    for (let i = 0; i < 30; i++) assert.equal((await get(gw.port, '/api/x')).status, 200, 'retried onto a live instance');
    await waitFor(async () => (await upstreamState(gw))[1]!.healthy === false, HEALTH.fall * HEALTH.intervalMs + HEALTH.timeoutMs + 500, 'B marked down');
    assert.ok(Date.now() - t0 < 2000);

    // Restart B on the same port: no traffic until two consecutive passes.
    const again = await startEcho(f.base + 1, 2);
    echoes.push(again);
    const seenAtRestart = Date.now();
    const early: number[] = [];
    while (!(await upstreamState(gw))[1]!.healthy) {
      assert.equal((await get(gw.port, '/api/x')).status, 200);
      early.push(nonHealth(again.seen).length);
      await sleep(10);
    }
    assert.ok(early.every((n) => n === 0), 'no traffic before re-admission');
    assert.ok(again.seen.filter((s) => s.url === '/healthz').length >= HEALTH.rise, 'rise passes seen');
    assert.ok(Date.now() - seenAtRestart < 3000);
    for (let i = 0; i < 9; i++) await get(gw.port, '/api/x');
    assert.ok(nonHealth(again.seen).length >= 2, 'B serves again');
  });

  it('a hung or failing health endpoint counts as down, without holding up the other checks', async () => {
    const f = await instances(3);
    echoes.push(...f.echoes);
    const [a, hung, failing] = f.echoes as [Echo, Echo, Echo];
    hung.handle = (req) => req.url === '/healthz'; // never answers
    failing.handle = (req, res) => {
      if (req.url !== '/healthz') return false;
      res.writeHead(302, { location: '/elsewhere' }).end();
      return true;
    };
    const gw = await startGateway(testConfig({ services: [service('api', f.base, 3)], routes: [route('api', '/api', 'api')] }), { health: HEALTH });
    await waitFor(
      async () => {
        const s = await upstreamState(gw);
        return !s[1]!.healthy && !s[2]!.healthy;
      },
      3000,
      'hung and redirecting instances down',
    );
    assert.equal((await upstreamState(gw))[0]!.healthy, true);
    assert.ok(a.seen.filter((s) => s.url === '/healthz').length >= 3, 'the healthy instance kept being checked');
    // 500 is a failure too.
    failing.handle = (req, res) => {
      if (req.url !== '/healthz') return false;
      res.writeHead(500).end();
      return true;
    };
    for (let i = 0; i < 20; i++) assert.equal(JSON.parse((await get(gw.port, '/api/x')).body).instance, 1);
  });

  it('health checks carry no client credentials', async () => {
    const f = await instances(1);
    echoes.push(...f.echoes);
    const gw = await startGateway(testConfig({ services: [service('api', f.base, 1)], routes: [route('api', '/api', 'api')] }), { health: HEALTH });
    await get(gw.port, '/api/x', { headers: { authorization: 'Bearer secret', cookie: 'session=abc', 'x-api-key': 'k' } });
    const checks = await waitFor(() => {
      const c = f.echoes[0]!.seen.filter((s) => s.url === '/healthz');
      return c.length >= 3 ? c : null;
    });
    for (const c of checks) {
      assert.deepEqual(Object.keys(c.headers).sort(), ['accept', 'connection', 'host', 'user-agent']);
    }
  });

  it('all instances down → 503 at once with Retry-After and the fixed body', async () => {
    const f = await instances(2);
    echoes.push(...f.echoes);
    const gw = await startGateway(testConfig({ services: [service('api', f.base, 2)], routes: [route('api', '/api', 'api')] }), { health: HEALTH });
    await Promise.all(f.echoes.map((e) => e.close()));
    await waitFor(async () => (await upstreamState(gw)).every((i) => !i.healthy), 2000, 'all down');
    const r = await get(gw.port, '/api/x');
    assert.equal(r.status, 503);
    assert.ok(isFixedErrorBody(r.body, 503));
    assert.equal(JSON.parse(r.body).error, 'no_healthy_upstream');
    assert.ok(Number(r.headers['retry-after']) >= 1);
    assert.ok(r.ms < 250, `${r.ms} ms`);
  });

  it('least-outstanding sends new work away from the slow instance', async () => {
    const f = await instances(2);
    echoes.push(...f.echoes);
    f.echoes[0]!.handle = (_req, res) => {
      setTimeout(() => res.end('slow'), 300);
      return true;
    };
    const gw = await startGateway(testConfig({ services: [service('api', f.base, 2)], routes: [route('api', '/api', 'api')], gateway: { loadBalancing: 'least-outstanding' } }));
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      pending.push(get(gw.port, '/api/x'));
      await sleep(15);
    }
    await Promise.all(pending);
    const slow = nonHealth(f.echoes[0]!.seen).length;
    const fast = nonHealth(f.echoes[1]!.seen).length;
    assert.ok(fast >= 15, `fast instance got ${fast}, slow ${slow}`);
  });
});

describe('circuit breaking and max pending (security.md 18)', () => {
  let echo: Echo;
  after(async () => {
    await closeGateways();
    await echo.close();
  });

  it('4 connections + 4 pending: of 20 concurrent requests 8 complete and 12 get a fast 503; then it recovers', async () => {
    echo = await startEcho();
    let slow = true;
    echo.handle = (_req, res) => {
      if (!slow) return false;
      setTimeout(() => res.end('done'), 600);
      return true;
    };
    const gw = await startGateway(testConfig({ services: [service('api', echo.port)], routes: [route('api', '/api', 'api')] }), {
      upstream: { maxConnectionsPerInstance: 4, maxPendingPerService: 4 },
    });
    const results = await Promise.all(Array.from({ length: 20 }, () => get(gw.port, '/api/x', { timeoutMs: 5000 })));
    const ok = results.filter((r) => r.status === 200);
    const shed = results.filter((r) => r.status === 503);
    assert.equal(ok.length, 8);
    assert.equal(shed.length, 12);
    for (const r of shed) {
      assert.equal(r.headers['x-gateway-overloaded'], '1');
      assert.equal(r.headers['retry-after'], '1');
      assert.ok(isFixedErrorBody(r.body, 503));
      assert.ok(r.ms < 300, `shed in ${r.ms} ms (the upstream takes 600)`);
    }
    assert.ok(Math.max(...ok.map((r) => r.ms)) >= 1100, 'the second four waited for a connection');
    slow = false;
    const after = await get(gw.port, '/api/x');
    assert.equal(after.status, 200);
  });
});
