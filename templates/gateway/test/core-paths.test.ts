// security.md test 2 (C9, A8): path normalisation vs prefix auth. `/public` is open, `/admin`
// needs auth (a tiny test policy: 401 without `x-test-auth: ok`); both go to one upstream that
// normalises paths itself (decode + path.posix.normalize) and serves ADMIN-SECRET under /admin.
// No variant may reach that body without auth. Also routing: segment boundaries, longest prefix,
// prefix stripping that keeps the query intact, 405 with Allow.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { posix } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Gateway } from '../src/server.js';
import type { GatewayDeps, Policies } from '../src/types.js';
import { closeGateways, get, isFixedErrorBody, route, service, startGateway, testConfig } from './support/gateway.js';
import { raw } from './support/net.js';

/** The test's only policy: routes with auth ≠ none need `x-test-auth: ok`. */
export function testAuthPolicies(deps: GatewayDeps): Policies {
  return {
    preAuth: [],
    auth: [
      {
        name: 'test-auth',
        handle(ctx) {
          if (ctx.route.auth === 'none' || ctx.req.headers['x-test-auth'] === 'ok') return false;
          deps.sendError(ctx.res, 401, 'unauthorized', { 'www-authenticate': 'Bearer' });
          return true;
        },
      },
    ],
    postAuth: [],
    close: async () => undefined,
  };
}

const VARIANTS = [
  '/public/../admin',
  '/public/%2e%2e/admin',
  '/public/%2E%2E/admin',
  '/public/..%2fadmin',
  '/public/%2e%2e%2fadmin',
  '/public/%252e%252e/admin',
  '/public/..%5cadmin',
  '/public\\..\\admin',
  '/public/..;/admin',
  '/public//..//admin',
  '/public/%2fadmin',
  '/ADMIN/x',
  '/admin%00',
  '/admin%20',
  '/admin/.',
  '/admin./',
  '/public/%c0%ae%c0%ae/admin',
  '/admin#x',
  '/admin?x',
  '//admin',
  '/./admin',
  '/%61dmin/x',
  '/public/./../admin/x',
  '/public/..%252fadmin',
  '/public/%2e/../admin',
  '/public/.%2e/admin',
];

describe('path normalisation vs prefix auth (security.md 2)', () => {
  let upstream: Server;
  let gw: Gateway;
  const served: string[] = [];
  before(async () => {
    upstream = createServer((req, res) => {
      let p: string;
      try {
        p = posix.normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!));
      } catch {
        res.writeHead(400).end('bad');
        return;
      }
      served.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(p.toLowerCase().startsWith('/admin') ? 'ADMIN-SECRET' : `public ${req.url}`);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const port = (upstream.address() as { port: number }).port;
    gw = await startGateway(
      testConfig({
        services: [service('app', port)],
        routes: [
          route('public', '/public', 'app', { stripPrefix: false }),
          route('admin', '/admin', 'app', { stripPrefix: false, auth: 'jwt' }),
          route('api', '/api', 'app', { methods: ['GET', 'POST'] }),
          route('v2', '/api/v2', 'app', { stripPrefix: false }),
        ],
      }),
      { policies: testAuthPolicies },
    );
  });
  after(async () => {
    await closeGateways();
    upstream.closeAllConnections();
    upstream.close();
  });

  for (const v of VARIANTS) {
    it(`${JSON.stringify(v)} never serves /admin without auth`, async () => {
      const r = await raw(gw.port, `GET ${v} HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n`);
      assert.doesNotMatch(r.text, /ADMIN-SECRET/);
      assert.ok([200, 400, 401, 404].includes(r.status), `status ${r.status}`);
      // Gateway answers carry the fixed body; the upstream's own 400 (its decoder refusing %c0) is its business.
      if (r.status !== 200 && r.headers['content-type'] === 'application/json') assert.ok(isFixedErrorBody(r.body, r.status), r.body);
    });
  }

  const pinned: [string, number, string?][] = [
    ['/public/../admin', 401],
    ['/%61dmin/x', 401],
    ['//admin', 401],
    ['/admin/.', 401],
    ['/public/%2e%2e/admin', 400],
    ['/public/..%2fadmin', 400],
    ['/public/%2fadmin', 400],
    ['/public\\..\\admin', 400],
    ['/public/..;/admin', 400],
    ['/admin%00', 400],
    ['/admin#x', 400],
    ['/admin./', 404],
    ['/ADMIN/x', 404],
    ['/public/a/../b?q=%2F&r=%252e', 200, '/public/b?q=%2F&r=%252e'],
    ['/public/%7Euser/./x', 200, '/public/~user/x'],
    ['/public/a%2Cb', 200, '/public/a%2Cb'],
  ];
  for (const [target, status, upstreamUrl] of pinned) {
    it(`${target} → ${status}${upstreamUrl ? ` (upstream ${upstreamUrl})` : ''}`, async () => {
      served.length = 0;
      const r = await raw(gw.port, `GET ${target} HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n`);
      assert.equal(r.status, status, r.text);
      if (upstreamUrl) assert.deepEqual(served, [upstreamUrl]);
    });
  }

  it('with auth, /admin is served (the control)', async () => {
    const r = await get(gw.port, '/admin/x', { headers: { 'x-test-auth': 'ok' } });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ADMIN-SECRET');
  });

  it('prefixes match on segment boundaries, the longest wins, the prefix is stripped and the query kept', async () => {
    served.length = 0;
    assert.equal((await get(gw.port, '/api/v1/x?a=%2F&b=1')).status, 200);
    assert.equal((await get(gw.port, '/api')).status, 200);
    assert.equal((await get(gw.port, '/api/')).status, 200);
    assert.equal((await get(gw.port, '/api/v2/y')).status, 200);
    assert.deepEqual(served, ['/v1/x?a=%2F&b=1', '/', '/', '/api/v2/y']);
    assert.equal((await get(gw.port, '/apix')).status, 404);
    assert.equal((await get(gw.port, '/nowhere')).status, 404);
  });

  it('a method outside the route list → 405 with Allow; TRACE and CONNECT never pass', async () => {
    const r = await get(gw.port, '/api/x', { method: 'DELETE' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.allow, 'GET, HEAD, POST');
    assert.ok(isFixedErrorBody(r.body, 405));
    assert.equal((await get(gw.port, '/public/x', { method: 'TRACE' })).status, 405);
    const c = await raw(gw.port, 'CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n');
    assert.equal(c.status, 400);
    assert.equal(c.closed, true);
  });
});
