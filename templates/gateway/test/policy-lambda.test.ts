// Local Lambda functions (compute: lambda) through the real gateway: API Gateway event format 1.0
// and 2.0 round trips (request → event, result → response), WebSocket $connect/$default/$disconnect,
// errors → 502, timeouts → 504, body limit → 413, and the starter's sample handler.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { createPolicies } from '../src/policies.js';
import { createGateway } from '../src/server.js';
import type { GatewayConfig, RouteConfig } from '../src/types.js';
import { AUDIENCE, claims, freePort, gatewayConfig, ISSUER, json, raw, route, send, signHs, startGateway, until, type Running } from './policy-support.js';

const SECRET = 'lambda-test-secret-lambda-test-secret-lambda';
const API_KEY = 'fn-client-key-0123456789';
/** The sample handler: templates/starter/functions in edgewise, functions/<first>/index.ts in a starter. */
function findSample(): string | undefined {
  const inRepo = fileURLToPath(new URL('../../starter/functions/handler.ts', import.meta.url));
  if (existsSync(inRepo)) return inRepo;
  const fnDir = fileURLToPath(new URL('../../functions/', import.meta.url));
  if (!existsSync(fnDir)) return undefined;
  return readdirSync(fnDir)
    .sort()
    .map((d) => join(fnDir, d, 'index.ts'))
    .find((f) => existsSync(f));
}
const SAMPLE = findSample();

const FUNCTIONS: Record<string, string> = {
  echo: `
const seen = ((globalThis as Record<string, unknown>).__edgewiseWsEvents ??= []) as unknown[];
export async function handler(event: any, context: any) {
  const rc = event.requestContext ?? {};
  if (rc.eventType) {
    seen.push(event);
    if (rc.eventType === 'CONNECT' && event.queryStringParameters?.deny === '1') return { statusCode: 403 };
    if (rc.eventType === 'MESSAGE') return { statusCode: 200, body: 'echo:' + event.body };
    return { statusCode: 200 };
  }
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event, fn: context.functionName, remaining: context.getRemainingTimeInMillis() }) };
}`,
  shapes: `
export const handler = async (event: any) => {
  const p: string = event.rawPath ?? event.path;
  if (p.endsWith('/full')) return { statusCode: 201, headers: { 'x-fn': 'yes', 'content-type': 'text/plain', connection: 'close' }, cookies: ['s=1; Path=/', 't=2'], body: Buffer.from('hi there').toString('base64'), isBase64Encoded: true };
  if (p.endsWith('/object')) return { hello: 'world' };
  if (p.endsWith('/string')) return 'Hello from Lambda!';
  if (p.endsWith('/multi')) return { statusCode: 200, headers: { 'content-type': 'text/plain' }, multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'], 'x-many': ['1', '2'] }, body: 'ok' };
  if (p.endsWith('/bad-status')) return { statusCode: 'teapot' };
  if (p.endsWith('/bad-header')) return { statusCode: 200, headers: { 'x-a': 'a\\r\\nx-injected: 1' }, body: '' };
  if (p.endsWith('/bad-body')) return { statusCode: 200, body: { not: 'a string' } };
  return { statusCode: 204 };
};`,
  boom: `export async function handler() { throw new Error('internal detail at /srv/secret/path'); }`,
  slow: `export async function handler() { await new Promise((r) => setTimeout(r, 1000)); return { statusCode: 200, body: 'late' }; }`,
};

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'edgewise-lambda-'));
  for (const [name, code] of Object.entries(FUNCTIONS)) {
    mkdirSync(join(root, 'functions', name), { recursive: true });
    writeFileSync(join(root, 'functions', name, 'index.ts'), code);
  }
  mkdirSync(join(root, 'functions', 'sample'), { recursive: true });
  // Without the sample handler (a starter whose compute is not lambda) a stand-in keeps the routes
  // loadable; the tests that need the real sample are skipped.
  if (SAMPLE) copyFileSync(SAMPLE, join(root, 'functions', 'sample', 'index.ts'));
  else writeFileSync(join(root, 'functions', 'sample', 'index.ts'), 'export async function handler() {\n  return { statusCode: 200, body: "stand-in" };\n}\n');
  return root;
}

async function lambdaConfig(format: '1.0' | '2.0', routes: RouteConfig[]): Promise<GatewayConfig> {
  const services = [...new Set(routes.map((r) => r.service))];
  const base = gatewayConfig(await freePort(), routes, {
    compute: 'lambda',
    gateway: { port: 0, replicas: 1, loadBalancing: 'round-robin', allowedOrigins: [], lambdaEventFormat: format },
    auth: {
      jwt: { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], secretEnv: 'JWT_SECRET', clockToleranceSeconds: 0, forwardClaims: ['sub'] },
      apiKeys: { header: 'x-api-key', keysEnv: 'API_KEYS' },
    },
  });
  base.services = await Promise.all(services.map(async (name) => ({ name, port: await freePort(), instances: 1, health: '/healthz', protocol: 'http' as const })));
  return base;
}

const ROUTES = (): RouteConfig[] => [
  route({ name: 'echo', path: '/echo', service: 'echo' }),
  route({ name: 'secure', path: '/secure', service: 'echo', auth: 'jwt' }),
  route({ name: 'keyed', path: '/keyed', service: 'echo', auth: 'api-key' }),
  route({ name: 'shapes', path: '/shapes', service: 'shapes' }),
  route({ name: 'boom', path: '/boom', service: 'boom' }),
  route({ name: 'slow', path: '/slow', service: 'slow', timeoutSeconds: 0.2 }),
  route({ name: 'tiny', path: '/tiny', service: 'echo', bodyLimitMb: 16 / (1024 * 1024) }),
  route({ name: 'sample', path: '/sample', service: 'sample' }),
  route({ name: 'socket', path: '/socket', service: 'echo', websocket: true }),
];

const ENV = { JWT_SECRET: SECRET, API_KEYS: `client-7:${API_KEY}` };

type Event = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Lambda payload format 2.0', () => {
  let root: string;
  let gw: Running;

  before(async () => {
    root = project();
    gw = await startGateway(await lambdaConfig('2.0', ROUTES()), { root, env: ENV });
  });
  after(async () => {
    await gw.close();
    rmSync(root, { recursive: true, force: true });
  });

  const eventOf = async (path: string, opts: Parameters<typeof send>[2] = {}): Promise<Event> => {
    const r = await send(gw.port, path, opts);
    assert.equal(r.status, 200, r.body);
    return json<{ event: Event }>(r).event;
  };

  it('builds an HTTP API 2.0 event', async () => {
    const e = await eventOf('/echo/a/b?x=1&x=2&y=%20z', { method: 'POST', headers: { cookie: 'a=1; b=2', 'x-dup': ['one', 'two'], 'content-type': 'application/json', 'x-user-id': 'forged' }, body: '{"k":"v"}' });
    assert.equal(e.version, '2.0');
    assert.equal(e.routeKey, 'ANY /echo/{proxy+}');
    assert.equal(e.rawPath, '/echo/a/b');
    assert.equal(e.rawQueryString, 'x=1&x=2&y=%20z');
    assert.deepEqual(e.queryStringParameters, { x: '1,2', y: ' z' });
    assert.deepEqual(e.cookies, ['a=1', 'b=2']);
    assert.equal(e.headers.cookie, undefined);
    assert.equal(e.headers['x-dup'], 'one,two');
    assert.equal(e.headers['x-user-id'], undefined, 'a client identity header reached the function');
    assert.equal(e.headers['content-type'], 'application/json');
    assert.deepEqual(e.pathParameters, { proxy: 'a/b' });
    assert.equal(e.requestContext.http.method, 'POST');
    assert.equal(e.requestContext.http.path, '/echo/a/b');
    assert.equal(e.requestContext.http.sourceIp, '127.0.0.2');
    assert.equal(e.requestContext.stage, '$default');
    assert.equal(typeof e.requestContext.requestId, 'string');
    assert.match(e.requestContext.time, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.equal(e.body, '{"k":"v"}');
    assert.equal(e.isBase64Encoded, false);
    assert.equal(e.requestContext.authorizer, undefined);
  });

  it('base64-encodes binary bodies', async () => {
    const bytes = Buffer.from([0, 255, 1, 254, 10]);
    const e = await eventOf('/echo/bin', { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    assert.equal(e.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(e.body, 'base64'), bytes);
  });

  it('passes verified JWT claims and API-key ids as the authorizer context', async () => {
    const token = await signHs(SECRET, claims({ sub: 'fn-user', scope: 'read write' }));
    const jwt = await eventOf('/secure/x', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(jwt.requestContext.authorizer.jwt.claims.sub, 'fn-user');
    assert.deepEqual(jwt.requestContext.authorizer.jwt.scopes, ['read', 'write']);
    assert.equal((await send(gw.port, '/secure/x')).status, 401);
    const keyed = await eventOf('/keyed/x', { headers: { 'x-api-key': API_KEY } });
    assert.deepEqual(keyed.requestContext.authorizer.lambda, { apiKeyId: 'client-7', subject: 'client-7' });
  });

  it('maps a full 2.0 result: status, headers, cookies → Set-Cookie each, base64 body', async () => {
    const r = await send(gw.port, '/shapes/full');
    assert.equal(r.status, 201);
    assert.equal(r.body, 'hi there');
    assert.equal(r.headers['x-fn'], 'yes');
    assert.deepEqual(r.headers['set-cookie'], ['s=1; Path=/', 't=2']);
    // `connection: close` from the function is a hop-by-hop field: dropped, the connection stays open.
    const two = await raw(gw.port, 'GET /shapes/full HTTP/1.1\r\nHost: a\r\n\r\nGET /shapes/string HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    assert.deepEqual(
      [...two.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]),
      ['201', '200'],
    );
  });

  it('infers 200 application/json for a result without statusCode', async () => {
    const o = await send(gw.port, '/shapes/object');
    assert.equal(o.status, 200);
    assert.equal(o.headers['content-type'], 'application/json');
    assert.deepEqual(json(o), { hello: 'world' });
    const s = await send(gw.port, '/shapes/string');
    assert.equal(s.status, 200);
    assert.equal(s.body, 'Hello from Lambda!');
  });

  it('answers 502 with a fixed body for errors and malformed results, 504 on timeout', async () => {
    for (const path of ['/boom', '/shapes/bad-status', '/shapes/bad-header', '/shapes/bad-body']) {
      const r = await send(gw.port, path);
      assert.equal(r.status, 502, path);
      assert.deepEqual(json(r), { error: 'bad_gateway', status: 502 });
      assert.ok(!r.body.includes('secret') && r.headers['x-injected'] === undefined);
    }
    const slow = await send(gw.port, '/slow');
    assert.equal(slow.status, 504);
    assert.deepEqual(json(slow), { error: 'gateway_timeout', status: 504 });
    assert.ok(slow.ms >= 180 && slow.ms < 900, `${slow.ms} ms`);
  });

  it('limits request bodies (413)', async () => {
    const r = await send(gw.port, '/tiny', { method: 'POST', body: 'x'.repeat(64) });
    assert.equal(r.status, 413);
    const chunked = await send(gw.port, '/tiny', { method: 'POST', body: 'x'.repeat(64), headers: { 'transfer-encoding': 'chunked' } });
    assert.equal(chunked.status, 413);
  });

  it('answers Expect: 100-continue before reading the body', { skip: SAMPLE ? false : 'this project has no sample Lambda handler (compute is not lambda)' }, async () => {
    const { connect } = await import('node:net');
    const text = await new Promise<string>((resolve) => {
      const s = connect(gw.port, '127.0.0.1');
      let got = '';
      s.on('data', (d: Buffer) => {
        got += d.toString('latin1');
        if (got.startsWith('HTTP/1.1 100') && !got.includes('\r\n\r\nHTTP')) s.write('hello');
        if (/\r\n\r\n[\s\S]*\r\n\r\n\{/.test(got) && got.endsWith('}')) s.end();
      });
      s.on('close', () => resolve(got));
      s.write('POST /sample/e HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n');
      setTimeout(() => s.destroy(), 2000).unref();
    });
    assert.match(text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    assert.ok(text.includes('"bytes":5'));
  });

  it('runs the starter sample handler', { skip: SAMPLE ? false : 'this project has no sample Lambda handler (compute is not lambda)' }, async () => {
    const r = await send(gw.port, '/sample/hello?a=1', { method: 'POST', body: 'hey' });
    assert.equal(r.status, 200);
    const body = json(r);
    assert.equal(body.format, '2.0');
    assert.equal(body.method, 'POST');
    assert.equal(body.path, '/sample/hello');
    assert.equal(body.query, 'a=1');
    assert.equal(body.bytes, 3);
    assert.equal(body.function, 'test-sample');
  });

  it('WebSocket: $connect, $default per message (reply sent back), $disconnect', async () => {
    const events = ((globalThis as Record<string, unknown>).__edgewiseWsEvents ??= []) as Event[];
    events.length = 0;
    const ws = new WebSocket(`ws://127.0.0.1:${gw.port}/socket/chat?room=1`, { localAddress: '127.0.0.2' });
    await new Promise<void>((r, j) => ws.once('open', () => r()).once('error', j));
    const reply = new Promise<string>((r) => ws.once('message', (d) => r(d.toString())));
    ws.send('ping');
    assert.equal(await reply, 'echo:ping');
    ws.close(1000, 'done');
    await until(() => events.some((e) => e.requestContext.eventType === 'DISCONNECT'), 2000, '$disconnect');
    const [connect, message, disconnect] = events;
    assert.equal(connect!.requestContext.routeKey, '$connect');
    assert.equal(connect!.queryStringParameters.room, '1');
    assert.equal(connect!.requestContext.identity.sourceIp, '127.0.0.2');
    assert.equal(message!.requestContext.routeKey, '$default');
    assert.equal(message!.requestContext.eventType, 'MESSAGE');
    assert.equal(message!.body, 'ping');
    assert.equal(typeof message!.requestContext.messageId, 'string');
    assert.equal(disconnect!.requestContext.routeKey, '$disconnect');
    assert.equal(disconnect!.requestContext.disconnectStatusCode, 1000);
    const id = connect!.requestContext.connectionId;
    assert.ok(typeof id === 'string' && id.length > 0);
    assert.ok(events.every((e) => e.requestContext.connectionId === id));
  });

  it('WebSocket: a $connect result other than 2xx refuses the upgrade with that status', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${gw.port}/socket/chat?deny=1`);
    const status = await new Promise<number>((r) => {
      ws.once('unexpected-response', (_q, res) => {
        r(res.statusCode ?? 0);
        res.resume();
        ws.terminate();
      });
      ws.once('open', () => r(101));
      ws.once('error', () => undefined);
    });
    assert.equal(status, 403);
  });
});

describe('Lambda payload format 1.0', () => {
  let root: string;
  let gw: Running;

  before(async () => {
    root = project();
    gw = await startGateway(await lambdaConfig('1.0', ROUTES()), { root, env: ENV });
  });
  after(async () => {
    await gw.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('builds a 1.0 (REST proxy) event', async () => {
    const r = await send(gw.port, '/echo/a?x=1&x=2', { headers: { 'x-dup': ['one', 'two'], cookie: 'a=1' } });
    const e = json<{ event: Event }>(r).event;
    assert.equal(e.version, '1.0');
    assert.equal(e.resource, '/echo/{proxy+}');
    assert.equal(e.path, '/echo/a');
    assert.equal(e.httpMethod, 'GET');
    assert.deepEqual(e.multiValueHeaders['x-dup'], ['one', 'two']);
    assert.equal(e.headers.cookie, 'a=1');
    assert.deepEqual(e.queryStringParameters, { x: '2' });
    assert.deepEqual(e.multiValueQueryStringParameters, { x: ['1', '2'] });
    assert.equal(e.requestContext.identity.sourceIp, '127.0.0.2');
    assert.equal(e.requestContext.resourcePath, '/echo/{proxy+}');
    assert.deepEqual(e.pathParameters, { proxy: 'a' });
    assert.equal(e.body, null);
    assert.equal(e.isBase64Encoded, false);
  });

  it('passes claims and API-key ids in the 1.0 places', async () => {
    const token = await signHs(SECRET, claims({ sub: 'v1-user' }));
    const jwt = json<{ event: Event }>(await send(gw.port, '/secure/x', { headers: { authorization: `Bearer ${token}` } })).event;
    assert.equal(jwt.requestContext.authorizer.claims.sub, 'v1-user');
    const keyed = json<{ event: Event }>(await send(gw.port, '/keyed/x', { headers: { 'x-api-key': API_KEY } })).event;
    assert.equal(keyed.requestContext.authorizer.principalId, 'client-7');
    assert.equal(keyed.requestContext.identity.apiKeyId, 'client-7');
    assert.ok(!JSON.stringify(keyed.requestContext).includes(API_KEY), 'the key itself reached the context');
  });

  it('maps multiValueHeaders, and refuses a result without statusCode (502)', async () => {
    const m = await send(gw.port, '/shapes/multi');
    assert.equal(m.status, 200);
    assert.deepEqual(m.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(m.headers['x-many'], '1, 2');
    const o = await send(gw.port, '/shapes/object');
    assert.equal(o.status, 502);
  });

  it('runs the starter sample handler with 1.0 events', { skip: SAMPLE ? false : 'this project has no sample Lambda handler (compute is not lambda)' }, async () => {
    const body = json(await send(gw.port, '/sample/x?b=2'));
    assert.equal(body.format, '1.0');
    assert.equal(body.path, '/sample/x');
    assert.equal(body.query, 'b=2');
  });
});

describe('Lambda configuration', () => {
  it('fails at startup when a routed function has no handler', async () => {
    const root = project();
    try {
      const config = await lambdaConfig('2.0', [route({ name: 'ghost', path: '/ghost', service: 'ghost' })]);
      await assert.rejects(
        createGateway(config, { policies: (d) => createPolicies(d, { root, env: ENV }), port: 0, host: '127.0.0.1' }),
        (err: Error & { code?: string }) => err.code === 'EW_GW_LAMBDA_HANDLER' && /functions\/ghost\/index\.ts/.test(err.message),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
