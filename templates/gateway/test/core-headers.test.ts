// security.md tests 5 (identity & hop-by-hop integrity: C6, C13, A2, A7), 6 (trusted proxies and
// X-Forwarded-For: A1, C7a — the address part; the 429 part is the rate-limit policy's test) and
// 7 (request-target and Host anomalies: C14a–b).
// 127.0.0.1 is the trusted load balancer, 127.0.0.2 an untrusted direct client (Linux: all of
// 127.0.0.0/8 is local).
import assert from 'node:assert/strict';
import { createServer, type Server as NetServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Gateway } from '../src/server.js';
import type { GatewayDeps, Policies } from '../src/types.js';
import { closeGateways, get, isFixedErrorBody, route, service, startGateway, testConfig } from './support/gateway.js';
import { raw } from './support/net.js';
import { nonHealth, startEcho, startScripted, type Echo, type Scripted } from './support/upstream.js';

interface Observed {
  clientIp: string;
  sawUserId: string | string[] | undefined;
}

/** Records what policies see and adds a gateway identity header, like an auth policy would. */
function observingPolicies(log: Observed[]) {
  return (_deps: GatewayDeps): Policies => ({
    preAuth: [],
    auth: [
      {
        name: 'observe',
        handle(ctx) {
          log.push({ clientIp: ctx.clientIp, sawUserId: ctx.req.headers['x-user-id'] });
          if (ctx.req.headers['x-set-identity'] === '1') ctx.addHeaders['x-user-id'] = 'verified-user';
          // A claim value with CR/LF or non-ASCII, as a careless auth policy might copy it (C10a).
          if (ctx.req.headers['x-set-bad'] === 'crlf') ctx.addHeaders['x-user-name'] = 'eve\r\nx-user-role: admin';
          if (ctx.req.headers['x-set-bad'] === 'utf8') ctx.addHeaders['x-user-name'] = 'Zoë\u2028';
          return false;
        },
      },
    ],
    postAuth: [],
    close: async () => undefined,
  });
}

const H = 'Host: gw.test\r\n';

describe('identity and hop-by-hop headers (security.md 5)', () => {
  let echo: Echo;
  let gw: Gateway;
  const observed: Observed[] = [];
  before(async () => {
    echo = await startEcho();
    gw = await startGateway(testConfig({ services: [service('api', echo.port)], routes: [route('api', '/api', 'api')] }), { policies: observingPolicies(observed) });
  });
  after(async () => {
    await closeGateways();
    await echo.close();
  });
  const last = () => nonHealth(echo.seen).at(-1)!;

  it('client identity and connection-describing headers never reach the upstream or the policies', async () => {
    const forged = {
      'x-user-id': 'admin',
      'x-user-roles': 'root',
      'x-auth-subject': 'someone',
      'x-gateway-verified': '1',
      'x-internal-caller': 'billing',
      'x-forwarded-host': 'evil.example',
      'x-original-url': '/admin',
      'x-rewrite-url': '/admin',
      forwarded: 'for=1.1.1.1;host=evil.example',
      'x-real-ip': '1.1.1.1',
      'true-client-ip': '1.1.1.1',
      'cf-connecting-ip': '1.1.1.1',
      'x-http-method-override': 'DELETE',
      'proxy-authorization': 'Basic Zm9vOmJhcg==',
    };
    const r = await get(gw.port, '/api/x', { headers: { ...forged, 'x-set-identity': '1', 'x-keep': 'yes' } });
    assert.equal(r.status, 200);
    const seen = last().headers;
    for (const k of Object.keys(forged)) if (k !== 'x-user-id') assert.equal(seen[k], undefined, `${k} stripped`);
    assert.equal(seen['x-user-id'], 'verified-user', 'only the gateway-set value');
    assert.equal(last().rawHeaders.filter((h) => h.toLowerCase() === 'x-user-id').length, 1);
    assert.equal(seen['x-keep'], 'yes', 'ordinary headers pass');
    assert.equal(observed.at(-1)!.sawUserId, undefined, 'policies do not see the client value');
  });

  it('Connection cannot strip the gateway headers, but does strip what it lists (RFC 9110 §7.6.1)', async () => {
    await raw(gw.port, `GET /api/x HTTP/1.1\r\n${H}Connection: close, x-forwarded-for, x-secret, x-user-id\r\nX-Secret: s\r\nX-Set-Identity: 1\r\n\r\n`);
    const seen = last().headers;
    assert.equal(seen['x-secret'], undefined);
    assert.equal(seen['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen['x-user-id'], 'verified-user');
    assert.equal(seen.connection, 'keep-alive', "the gateway's own connection to the upstream");
  });

  it('Upgrade: h2c and HTTP2-Settings are dropped; the request is served as plain HTTP/1.1', async () => {
    const r = await raw(gw.port, `GET /api/h2c HTTP/1.1\r\n${H}Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n`);
    assert.equal(r.status, 200);
    const seen = last().headers;
    assert.equal(last().url, '/h2c');
    assert.equal(seen.upgrade, undefined);
    assert.equal(seen['http2-settings'], undefined);
  });

  it('a header value a policy copied from a token must be a valid field: CR/LF or non-ASCII → 400, never 500', async () => {
    const before = nonHealth(echo.seen).length;
    for (const kind of ['crlf', 'utf8']) {
      const r = await get(gw.port, '/api/x', { headers: { 'x-set-bad': kind } });
      assert.equal(r.status, 400, kind);
      assert.ok(isFixedErrorBody(r.body, 400));
    }
    assert.equal(nonHealth(echo.seen).length, before);
    assert.equal((await get(gw.port, '/api/x')).status, 200);
  });

  it('underscore header names are refused (CGI maps X_User_Id to the same variable as X-User-Id)', async () => {
    const before = nonHealth(echo.seen).length;
    for (const h of ['X_User_Id: admin', 'X_Forwarded_For: 1.1.1.1', 'x_auth_subject: a']) {
      const r = await raw(gw.port, `GET /api/x HTTP/1.1\r\n${H}${h}\r\n\r\n`);
      assert.equal(r.status, 400, h);
      assert.ok(isFixedErrorBody(r.body, 400));
    }
    assert.equal(nonHealth(echo.seen).length, before);
  });
});

describe('hop-by-hop headers in responses (security.md 5, C13b)', () => {
  let up: Scripted;
  let gw: Gateway;
  before(async () => {
    up = await startScripted((sock) => {
      sock.write(
        'HTTP/1.1 200 OK\r\nConnection: close, X-Internal\r\nX-Internal: secret\r\nKeep-Alive: timeout=5\r\nUpgrade: websocket\r\nProxy-Authenticate: Basic realm="x"\r\nTrailer: X-T\r\nX-Ok: 1\r\nContent-Length: 2\r\n\r\nok',
      );
      sock.end();
    });
    gw = await startGateway(testConfig({ services: [service('api', up.port)], routes: [route('api', '/api', 'api')] }));
  });
  after(async () => {
    await closeGateways();
    await up.close();
  });

  it('the client sees none of the upstream hop-by-hop fields', async () => {
    const r = await raw(gw.port, `GET /api/x HTTP/1.1\r\n${H}\r\n`, { firstResponseOnly: true });
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-ok'], '1');
    assert.equal(r.body, 'ok');
    for (const h of ['x-internal', 'upgrade', 'proxy-authenticate', 'trailer']) assert.equal(r.headers[h], undefined, h);
    assert.equal(r.headers.connection, 'keep-alive', "the gateway's own connection header");
    assert.equal(r.headers['keep-alive'], 'timeout=65', "the gateway's own keep-alive");
  });
});

describe('trusted proxies and X-Forwarded-For (security.md 6, A1)', () => {
  let echo: Echo;
  let gw: Gateway;
  const observed: Observed[] = [];
  before(async () => {
    echo = await startEcho();
    gw = await startGateway(testConfig({ services: [service('api', echo.port)], routes: [route('api', '/api', 'api')], trustedProxies: ['127.0.0.1/32'] }), { policies: observingPolicies(observed) });
  });
  after(async () => {
    await closeGateways();
    await echo.close();
  });
  const last = () => nonHealth(echo.seen).at(-1)!;

  it('an untrusted client cannot choose its address with any header', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await get(gw.port, '/api/x', {
        localAddress: '127.0.0.2',
        headers: { 'x-forwarded-for': `9.9.9.${i}`, 'x-real-ip': `8.8.8.${i}`, forwarded: `for=7.7.7.${i}`, 'true-client-ip': '6.6.6.6', 'cf-connecting-ip': '5.5.5.5', 'x-forwarded-proto': 'https' },
      });
      assert.equal(r.status, 200);
      assert.equal(observed.at(-1)!.clientIp, '127.0.0.2');
      assert.equal(last().headers['x-forwarded-for'], '127.0.0.2', 'the spoofed chain is replaced, the last element is the peer');
      assert.equal(last().headers['x-forwarded-proto'], 'http');
    }
  });

  it('from the trusted proxy, the rightmost untrusted address is the client', async () => {
    const cases: [string, string, string][] = [
      ['6.6.6.6, 5.5.5.5', '5.5.5.5', '5.5.5.5, 127.0.0.1'],
      ['5.5.5.5, 127.0.0.1', '5.5.5.5', '5.5.5.5, 127.0.0.1, 127.0.0.1'],
      ['junk, 5.5.5.5', '5.5.5.5', '5.5.5.5, 127.0.0.1'],
      ['junk', '127.0.0.1', '127.0.0.1'],
      ['2001:db8::1', '2001:db8::1', '2001:db8::1, 127.0.0.1'],
    ];
    for (const [xff, client, sent] of cases) {
      await get(gw.port, '/api/x', { localAddress: '127.0.0.1', headers: { 'x-forwarded-for': xff, 'x-forwarded-proto': 'https' } });
      assert.equal(observed.at(-1)!.clientIp, client, xff);
      assert.equal(last().headers['x-forwarded-for'], sent, xff);
      assert.equal(last().headers['x-forwarded-proto'], 'https', 'a trusted proxy may say https');
    }
  });
});

describe('request-target and Host anomalies (security.md 7, C14)', () => {
  let echo: Echo;
  let decoy: NetServer;
  let decoyPort = 0;
  let decoyConnections = 0;
  let gw: Gateway;
  let redirector: Scripted;
  before(async () => {
    echo = await startEcho();
    decoy = createServer((s) => {
      decoyConnections++;
      s.destroy();
    });
    await new Promise<void>((r) => decoy.listen(0, '127.0.0.1', r));
    decoyPort = (decoy.address() as { port: number }).port;
    redirector = await startScripted((sock) => sock.end(`HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:${decoyPort}/internal\r\nContent-Length: 0\r\n\r\n`));
    gw = await startGateway(
      testConfig({ services: [service('api', echo.port), service('redir', redirector.port)], routes: [route('api', '/api', 'api'), route('redir', '/redir', 'redir')] }),
    );
  });
  after(async () => {
    await closeGateways();
    await echo.close();
    await redirector.close();
    decoy.close();
  });

  const anomalies: [string, string][] = [
    ['duplicate Host', `GET /api/x HTTP/1.1\r\nHost: gw.test\r\nHost: 127.0.0.1:DECOY\r\n\r\n`],
    ['Host with userinfo', `GET /api/x HTTP/1.1\r\nHost: a@evil.example\r\n\r\n`],
    ['Host port out of range', `GET /api/x HTTP/1.1\r\nHost: gw.test:99999\r\n\r\n`],
    ['Host with two ports', `GET /api/x HTTP/1.1\r\nHost: gw.test:1:2\r\n\r\n`],
    ['Host with a path', `GET /api/x HTTP/1.1\r\nHost: gw.test/x\r\n\r\n`],
    ['absolute-form', `GET http://127.0.0.1:DECOY/api/x HTTP/1.1\r\nHost: 127.0.0.1:DECOY\r\n\r\n`],
    ['https absolute-form', `GET https://127.0.0.1:DECOY/api/x HTTP/1.1\r\nHost: gw.test\r\n\r\n`],
    ['backslash', `GET /\\127.0.0.1:DECOY/api HTTP/1.1\r\n${H}\r\n`],
    ['asterisk-form', `OPTIONS * HTTP/1.1\r\n${H}\r\n`],
    ['CONNECT', `CONNECT 127.0.0.1:DECOY HTTP/1.1\r\nHost: 127.0.0.1:DECOY\r\n\r\n`],
    ['scheme-relative', `GET //127.0.0.1:DECOY/api HTTP/1.1\r\n${H}\r\n`],
  ];
  for (const [name, payload] of anomalies) {
    it(`${name} → 4xx (never 5xx), upstream untouched, the decoy gets no connection`, async () => {
      const before = nonHealth(echo.seen).length;
      const r = await raw(gw.port, payload.replaceAll('DECOY', String(decoyPort)));
      assert.ok(r.status === 400 || r.status === 404, `${r.status} ${r.text}`);
      assert.ok(isFixedErrorBody(r.body, r.status), r.body);
      assert.doesNotMatch(r.body, /127\.0\.0\.1|evil/);
      assert.equal(nonHealth(echo.seen).length, before);
      assert.equal(decoyConnections, 0);
    });
  }

  it('the validated client Host is forwarded; X-Forwarded-Host is not', async () => {
    await raw(gw.port, `GET /api/x HTTP/1.1\r\nHost: shop.example:8443\r\nX-Forwarded-Host: evil.example\r\nConnection: close\r\n\r\n`);
    const seen = nonHealth(echo.seen).at(-1)!;
    assert.equal(seen.headers.host, 'shop.example:8443');
    assert.equal(seen.headers['x-forwarded-host'], undefined);
  });

  it('an upstream redirect to an internal address is relayed, never followed', async () => {
    const r = await get(gw.port, '/redir/x');
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, `http://127.0.0.1:${decoyPort}/internal`);
    assert.equal(decoyConnections, 0);
  });
});
