// API keys and quotas through the real gateway: keys from the environment, identity = key id,
// quota per key per period (memory, and Redis shared by replicas) with 429 + Retry-After and
// RateLimit fields.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseApiKeys } from '../src/auth-apikey.js';
import { createPolicies } from '../src/policies.js';
import { createGateway } from '../src/server.js';
import type { GatewayConfig } from '../src/types.js';
import { gatewayConfig, hasRedis, json, route, send, sleep, startGateway, startRedis, startUpstream, type RedisServer, type Running, type Upstream } from './policy-support.js';

const ALICE = 'alice-key-0123456789abcdef';
const BOB = 'bob-key-0123456789abcdef:with:colons';
const ENV = { API_KEYS: ` alice:${ALICE} , bob:${BOB}` };

function keyedConfig(upstream: Upstream, over: Partial<GatewayConfig> = {}): GatewayConfig {
  return gatewayConfig(
    upstream.port,
    [
      route({ name: 'keyed', path: '/keyed', auth: 'api-key' }),
      route({ name: 'also-keyed', path: '/also', auth: 'api-key', rateLimit: { requests: 100, windowSeconds: 60, key: 'client', burst: 0 } }),
      route({ name: 'open', path: '/open' }),
    ],
    { auth: { apiKeys: { header: 'X-Api-Key', keysEnv: 'API_KEYS', quota: { requests: 3, periodSeconds: 60 } } }, ...over },
  );
}

describe('API keys', () => {
  let upstream: Upstream;
  let gw: Running;

  before(async () => {
    upstream = await startUpstream();
    gw = await startGateway(keyedConfig(upstream, { auth: { apiKeys: { header: 'X-Api-Key', keysEnv: 'API_KEYS' } } }), { env: ENV });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('authenticates a configured key; the identity is the key id, never the key', async () => {
    const r = await send(gw.port, '/keyed/x', { headers: { 'x-api-key': BOB, 'x-user-id': 'alice' } });
    assert.equal(r.status, 200);
    const seen = upstream.seen.at(-1)!;
    assert.equal(seen.headers['x-user-id'], 'bob');
    for (const [k, v] of Object.entries(seen.headers)) if (k.startsWith('x-user-')) assert.ok(!String(v).includes('key-0123'), `${k} carries the key`);
  });

  it('refuses a missing or wrong key with 401 and a challenge, before the upstream', async () => {
    const before = upstream.seen.length;
    const missing = await send(gw.port, '/keyed/x');
    assert.equal(missing.status, 401);
    assert.deepEqual(json(missing), { error: 'unauthorized', status: 401 });
    assert.match(String(missing.headers['www-authenticate']), /^ApiKey realm="test", header="x-api-key"$/);
    for (const key of [`${ALICE}x`, ALICE.slice(0, -1), ALICE.toUpperCase(), `${ALICE},${ALICE}`, 'alice', 'x'.repeat(600)]) {
      const r = await send(gw.port, '/keyed/x', { headers: { 'x-api-key': key } });
      assert.equal(r.status, 401, key);
      assert.deepEqual(json(r), { error: 'invalid_api_key', status: 401 });
    }
    // A blank value is no key at all.
    assert.deepEqual(json(await send(gw.port, '/keyed/x', { headers: { 'x-api-key': ' ' } })), { error: 'unauthorized', status: 401 });
    // Two headers: Node joins them; that is not a key.
    assert.equal((await send(gw.port, '/keyed/x', { headers: { 'x-api-key': [ALICE, ALICE] } })).status, 401);
    assert.equal(upstream.seen.length, before);
  });

  it('leaves routes without auth alone', async () => {
    assert.equal((await send(gw.port, '/open/x')).status, 200);
  });
});

describe('API-key configuration', () => {
  it('parses id:key pairs (keys may contain ":")', () => {
    assert.deepEqual(parseApiKeys(ENV.API_KEYS, 'API_KEYS'), [
      { id: 'alice', key: ALICE },
      { id: 'bob', key: BOB },
    ]);
  });

  it('refuses bad key lists without echoing a key', () => {
    const bad = [undefined, '', 'alice', `:${ALICE}`, 'alice:short', `alice:${ALICE},alice:${ALICE}x`, `a:${ALICE},b:${ALICE}`, `al ice:${ALICE}`, `alice:${ALICE} x`];
    for (const text of bad) {
      assert.throws(
        () => parseApiKeys(text, 'API_KEYS'),
        (err: Error & { code?: string }) => err.code === 'EW_GW_APIKEY_CONFIG' && !err.message.includes(ALICE),
        String(text),
      );
    }
  });

  it('fails at startup when an api-key route has no keys', async () => {
    const upstream = await startUpstream();
    try {
      await assert.rejects(
        createGateway(keyedConfig(upstream), { policies: (d) => createPolicies(d, { env: {} }), port: 0, host: '127.0.0.1' }),
        (err: Error & { code?: string }) => err.code === 'EW_GW_APIKEY_CONFIG' && /API_KEYS/.test(err.message),
      );
    } finally {
      await upstream.close();
    }
  });
});

describe('quotas (memory)', () => {
  let upstream: Upstream;
  let gw: Running;

  before(async () => {
    upstream = await startUpstream();
    gw = await startGateway(keyedConfig(upstream), { env: ENV });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('counts per key across routes, answers 429 with Retry-After when exhausted, and reports usage', async () => {
    const a1 = await send(gw.port, '/keyed/1', { headers: { 'x-api-key': ALICE } });
    assert.equal(a1.status, 200);
    assert.equal(a1.headers['ratelimit-policy'], '"quota";q=3;w=60');
    assert.match(String(a1.headers.ratelimit), /^"quota";r=2;t=\d+$/);
    const a2 = await send(gw.port, '/also/2', { headers: { 'x-api-key': ALICE } });
    assert.equal(a2.status, 200);
    // Both the route's client limit and the quota are advertised.
    assert.match(String(a2.headers['ratelimit-policy']), /"also-keyed";q=100;w=60/);
    assert.match(String(a2.headers['ratelimit-policy']), /"quota";q=3;w=60/);
    assert.equal((await send(gw.port, '/keyed/3', { headers: { 'x-api-key': ALICE } })).status, 200);
    const before = upstream.seen.length;
    const denied = await send(gw.port, '/keyed/4', { headers: { 'x-api-key': ALICE } });
    assert.equal(denied.status, 429);
    assert.deepEqual(json(denied), { error: 'quota_exceeded', status: 429 });
    const retry = Number(denied.headers['retry-after']);
    assert.ok(retry >= 1 && retry <= 60, String(retry));
    assert.match(String(denied.headers.ratelimit), /"quota";r=0;t=\d+/);
    assert.equal(upstream.seen.length, before);
    // Bob has his own quota.
    assert.equal((await send(gw.port, '/keyed/5', { headers: { 'x-api-key': BOB } })).status, 200);
  });

  it('does not spend quota on refused requests', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await send(gw.port, '/keyed/x', { headers: { 'x-api-key': 'nope-nope-nope-nope' } })).status, 401);
    // Bob used 1 of 3 in the previous test.
    assert.equal((await send(gw.port, '/keyed/x', { headers: { 'x-api-key': BOB } })).status, 200);
    assert.equal((await send(gw.port, '/keyed/x', { headers: { 'x-api-key': BOB } })).status, 200);
    assert.equal((await send(gw.port, '/keyed/x', { headers: { 'x-api-key': BOB } })).status, 429);
  });
});

describe('quotas (Redis, shared by replicas)', { skip: hasRedis ? false : 'redis-server is not installed' }, () => {
  let redis: RedisServer;
  let upstream: Upstream;

  before(async () => {
    redis = await startRedis();
    upstream = await startUpstream();
  });
  after(async () => {
    await redis.kill();
    await upstream.close();
  });

  it('two gateways share one quota per key', async () => {
    const config = keyedConfig(upstream, { name: 'quota-shared', gateway: { port: 0, replicas: 2, loadBalancing: 'round-robin', allowedOrigins: [], redis: { url: redis.url, failMode: 'closed' } } });
    const a = await startGateway(config, { env: ENV });
    const b = await startGateway(config, { env: ENV });
    try {
      await sleep(200);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await send(i % 2 ? a.port : b.port, '/keyed/x', { headers: { 'x-api-key': ALICE } })).status);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429]);
      assert.equal((await send(a.port, '/keyed/x', { headers: { 'x-api-key': BOB } })).status, 200);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
