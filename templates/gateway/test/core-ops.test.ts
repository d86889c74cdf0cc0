// Operations and the contract with the policies: admin listener on loopback only (A11), metrics,
// the access log (no credentials, no token values: C6), route header transforms, ctx.capture,
// the policy pipeline (order, answers, failures, fail-closed without policies), deps.pick/release.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { Gateway } from '../src/server.js';
import type { GatewayDeps, Policies, RequestContext, Stage } from '../src/types.js';
import { closeGateways, get, isFixedErrorBody, route, service, startGateway, testConfig } from './support/gateway.js';
import { raw, waitFor } from './support/net.js';
import { nonHealth, startEcho, startScripted, type Echo, type Scripted } from './support/upstream.js';

function memoryLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('admin listener, metrics and access log', () => {
  let echo: Echo;
  let gw: Gateway;
  const log = memoryLogger();
  before(async () => {
    echo = await startEcho();
    gw = await startGateway(testConfig({ services: [service('api', echo.port)], routes: [route('api', '/api', 'api')] }), {
      logger: log.logger,
      policies: (deps: GatewayDeps): Policies => ({
        preAuth: [{ name: 'count', handle: () => (deps.metrics.count('test_seen', { kind: 'any' }), false) }],
        auth: [],
        postAuth: [],
        close: async () => undefined,
      }),
    });
  });
  after(async () => {
    await closeGateways();
    await echo.close();
  });

  it('the public port has no /metrics, /healthz or /admin; the admin port answers only on 127.0.0.1', async () => {
    for (const p of ['/metrics', '/healthz', '/admin/x', '/upstreams']) assert.equal((await get(gw.port, p)).status, 404, p);
    assert.equal((await get(gw.adminPort, '/healthz')).status, 200);
    const refused = await new Promise<string>((resolve) => {
      const s = connect({ port: gw.adminPort, host: '127.0.0.2' });
      s.once('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    assert.equal(refused, 'ECONNREFUSED');
  });

  it('metrics: requests by route and status, upstream latency, health, outstanding, refusals, policy counters', async () => {
    await get(gw.port, '/api/a');
    await get(gw.port, '/api/b');
    await get(gw.port, '/nowhere');
    const text = (await get(gw.adminPort, '/metrics')).body;
    assert.match(text, /edgewise_gateway_requests_total\{route="api",status="200"\} 2/);
    assert.match(text, /edgewise_gateway_requests_total\{route="none",status="404"\} \d+/);
    assert.match(text, /edgewise_gateway_upstream_duration_seconds_count\{service="api"\} 2/);
    assert.match(text, /edgewise_gateway_upstream_healthy\{service="api",instance="1"\} 1/);
    assert.match(text, /edgewise_gateway_upstream_outstanding\{service="api"\} 0/);
    assert.match(text, /edgewise_gateway_rejected_total\{reason="no_route"\} \d+/);
    assert.match(text, /edgewise_gateway_test_seen_total\{kind="any"\} \d+/);
  });

  it('one access-log line per request, without credentials or token values', async () => {
    const before = log.lines.length;
    await get(gw.port, '/api/login?user=ann&access_token=SECRET1&api_key=SECRET2&page=2', { headers: { authorization: 'Bearer SECRET3', cookie: 'sid=SECRET4' } });
    await waitFor(() => log.lines.length > before);
    const access = log.lines.slice(before).filter((l) => l.status !== undefined);
    assert.equal(access.length, 1);
    const line = access[0]!;
    assert.equal(line.route, 'api');
    assert.equal(line.method, 'GET');
    assert.equal(line.path, '/api/login');
    assert.equal(line.status, 200);
    assert.equal(typeof line.ms, 'number');
    assert.equal(line.ip, '127.0.0.1');
    assert.match(String(line.query), /user=ann/);
    assert.match(String(line.query), /page=2/);
    assert.doesNotMatch(JSON.stringify(log.lines), /SECRET/);
  });
});

describe('route header transforms and the response capture', () => {
  let echo: Echo;
  let up: Scripted;
  let gw: Gateway;
  const captured: { status: number; headers: Record<string, string | string[]>; body: string }[] = [];
  before(async () => {
    echo = await startEcho();
    echo.handle = (req, res) => {
      if (req.url === '/big') {
        res.end('z'.repeat(5000));
        return true;
      }
      res.writeHead(200, { 'x-powered-by': 'Express', 'x-backend-secret': 's', 'set-cookie': ['a=1', 'b=2'], 'content-type': 'text/plain' });
      res.end(`saw x-env=${req.headers['x-env']} x-remove-me=${req.headers['x-remove-me']}`);
      return true;
    };
    up = await startScripted((sock) => {
      sock.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly-part');
      setTimeout(() => sock.destroy(), 30);
    });
    const capture: Stage = {
      name: 'capture',
      handle(ctx: RequestContext) {
        ctx.capture = { maxBytes: 1000, done: (status, headers, body) => captured.push({ status, headers, body: body.toString() }) };
        (ctx.responseHeaders ??= []).push('x-policy', 'added');
        return false;
      },
    };
    gw = await startGateway(
      testConfig({
        services: [service('api', echo.port), service('cut', up.port)],
        routes: [
          route('api', '/api', 'api', {
            headers: {
              request: { set: { 'X-Env': 'prod' }, remove: ['X-Remove-Me'] },
              response: { set: { 'X-Frame-Options': 'DENY' }, remove: ['X-Powered-By', 'X-Backend-Secret'] },
            },
          }),
          route('cut', '/cut', 'cut'),
        ],
      }),
      { policies: () => ({ preAuth: [], auth: [], postAuth: [capture], close: async () => undefined }) },
    );
  });
  after(async () => {
    await closeGateways();
    await echo.close();
    await up.close();
  });

  it('request set/remove before proxying (a client value cannot override a set), response set/remove after', async () => {
    captured.length = 0;
    const r = await get(gw.port, '/api/x', { headers: { 'x-env': 'dev', 'x-remove-me': 'yes' } });
    assert.equal(r.body, 'saw x-env=prod x-remove-me=undefined');
    assert.equal(nonHealth(echo.seen).at(-1)!.rawHeaders.filter((h) => h.toLowerCase() === 'x-env').length, 1);
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['x-powered-by'], undefined);
    assert.equal(r.headers['x-backend-secret'], undefined);
    assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2'], 'repeated fields survive');
    assert.equal(r.headers['x-policy'], 'added');
  });

  it('capture gets complete responses only, up to maxBytes, without the policy-added fields', async () => {
    captured.length = 0;
    await get(gw.port, '/api/x');
    await waitFor(() => captured.length === 1);
    assert.equal(captured[0]!.status, 200);
    assert.equal(captured[0]!.body, 'saw x-env=prod x-remove-me=undefined');
    assert.deepEqual(captured[0]!.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(captured[0]!.headers['x-policy'], undefined);
    assert.equal((await get(gw.port, '/api/big')).body.length, 5000, 'served in full');
    const cut = await raw(gw.port, 'GET /cut/x HTTP/1.1\r\nHost: gw.test\r\n\r\n');
    assert.equal(cut.closed, true);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(captured.length, 1, 'neither the oversized nor the truncated response was captured');
  });
});

describe('the policy pipeline', () => {
  let echo: Echo;
  const order: string[] = [];
  let gw: Gateway;
  let bare: Gateway;
  let deps: GatewayDeps;
  before(async () => {
    echo = await startEcho();
    const stage = (name: string, fn?: (ctx: RequestContext) => boolean | Promise<boolean>): Stage => ({
      name,
      handle(ctx) {
        order.push(name);
        return fn ? fn(ctx) : false;
      },
    });
    gw = await startGateway(testConfig({ services: [service('api', echo.port)], routes: [route('api', '/api', 'api'), route('fn', '/fn', 'api')] }), {
      policies: (d) => {
        deps = d;
        return {
          preAuth: [stage('pre')],
          auth: [stage('auth', async (ctx) => (await new Promise((r) => setTimeout(r, 5)), ctx.path === '/api/deny' ? (d.sendError(ctx.res, 401, 'unauthorized'), true) : false))],
          postAuth: [
            stage('post', (ctx) => {
              if (ctx.path === '/api/throw') throw new Error('boom at /internal/path');
              if (ctx.path === '/api/reject') return Promise.reject(new Error('async boom'));
              return false;
            }),
          ],
          terminal: stage('terminal', (ctx) => {
            if (ctx.route.name !== 'fn') return false;
            ctx.res.writeHead(200, { 'content-type': 'text/plain' }).end('from the terminal stage');
            return true;
          }),
          close: async () => undefined,
        };
      },
    });
    bare = await startGateway(testConfig({ services: [service('api', echo.port)], routes: [route('open', '/open', 'api'), route('locked', '/locked', 'api', { auth: 'jwt' })] }));
  });
  after(async () => {
    await closeGateways();
    await echo.close();
  });

  it('runs preAuth → auth (async) → postAuth → terminal → proxy', async () => {
    order.length = 0;
    assert.equal((await get(gw.port, '/api/x')).status, 200);
    assert.deepEqual(order, ['pre', 'auth', 'post', 'terminal']);
  });

  it('a stage that answers stops the pipeline; the upstream is not called', async () => {
    const before = nonHealth(echo.seen).length;
    order.length = 0;
    const r = await get(gw.port, '/api/deny');
    assert.equal(r.status, 401);
    assert.deepEqual(order, ['pre', 'auth']);
    assert.equal(nonHealth(echo.seen).length, before);
    const t = await get(gw.port, '/fn/x');
    assert.equal(t.body, 'from the terminal stage');
    assert.equal(nonHealth(echo.seen).length, before);
  });

  it('a stage that throws or rejects → 500 with the fixed body, nothing leaked', async () => {
    for (const p of ['/api/throw', '/api/reject']) {
      const r = await get(gw.port, p);
      assert.equal(r.status, 500);
      assert.ok(isFixedErrorBody(r.body, 500));
      assert.doesNotMatch(r.body, /boom|\/internal\/path/);
    }
  });

  it('without policies, a route that needs auth fails closed (503); open routes work', async () => {
    const r = await get(bare.port, '/locked/x');
    assert.equal(r.status, 503);
    assert.equal(JSON.parse(r.body).error, 'auth_unavailable');
    assert.equal((await get(bare.port, '/open/x')).status, 200);
  });

  it('deps.pick/release keep the outstanding counts (least-outstanding accounting)', async () => {
    const state = async (): Promise<number> => (JSON.parse((await get(gw.adminPort, '/upstreams')).body) as { outstanding: number }[])[0]!.outstanding;
    const up = deps.pick('api');
    assert.ok(up);
    assert.equal(up.origin, `http://127.0.0.1:${echo.port}`);
    assert.equal(await state(), 1);
    deps.release(up);
    assert.equal(await state(), 0);
    deps.release(up);
    assert.equal(await state(), 0, 'never below zero');
    assert.equal(deps.pick('nope'), undefined);
  });
});
