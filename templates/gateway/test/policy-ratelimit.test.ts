// Rate limits (memory store) through the real gateway: security.md test 6 (rate-limit part) —
// spoofed forwarding headers from an untrusted peer cannot dodge the limit, the trusted proxy's
// rightmost untrusted XFF entry is the key, route variants share one bucket, and the 429 comes
// before the upstream and before JWT verification — plus the memory bound of the store.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ipKey } from '../src/policies-shared.js';
import { GcraMemoryStore } from '../src/ratelimit.js';
import { gatewayConfig, json, raw, route, send, signHs, claims, sleep, startGateway, startUpstream, until, TRUSTED, UNTRUSTED, ISSUER, AUDIENCE, type Running, type Upstream } from './policy-support.js';

const SECRET = 'rate-limit-test-secret-rate-limit-test-secret';

describe('rate limits (security.md 6, rate-limit part)', () => {
  let upstream: Upstream;
  let gw: Running;

  before(async () => {
    upstream = await startUpstream();
    const config = gatewayConfig(
      upstream.port,
      [
        route({ name: 'login', path: '/login', rateLimit: { requests: 3, windowSeconds: 60, key: 'ip', burst: 0 } }),
        route({ name: 'spoof', path: '/spoof', rateLimit: { requests: 3, windowSeconds: 60, key: 'ip', burst: 0 } }),
        route({ name: 'variants', path: '/variants', rateLimit: { requests: 3, windowSeconds: 60, key: 'ip', burst: 0 } }),
        route({ name: 'proxied', path: '/proxied', rateLimit: { requests: 2, windowSeconds: 60, key: 'ip', burst: 0 } }),
        route({ name: 'pipelined', path: '/pipelined', rateLimit: { requests: 3, windowSeconds: 60, key: 'ip', burst: 0 } }),
        route({ name: 'global', path: '/global', rateLimit: { requests: 2, windowSeconds: 60, key: 'global', burst: 0 } }),
        route({ name: 'burst', path: '/burst', rateLimit: { requests: 1, windowSeconds: 60, key: 'ip', burst: 2 } }),
        route({ name: 'refill', path: '/refill', rateLimit: { requests: 10, windowSeconds: 1, key: 'ip', burst: 0 } }),
        route({ name: 'secure', path: '/secure', auth: 'jwt', rateLimit: { requests: 2, windowSeconds: 60, key: 'ip', burst: 0 } }),
        route({ name: 'per-client', path: '/per-client', auth: 'jwt', rateLimit: { requests: 2, windowSeconds: 60, key: 'client', burst: 0 } }),
        route({ name: 'anon-client', path: '/anon-client', rateLimit: { requests: 2, windowSeconds: 60, key: 'client', burst: 0 } }),
      ],
      {
        trustedProxies: ['127.0.0.1'],
        auth: { jwt: { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], secretEnv: 'JWT_SECRET', clockToleranceSeconds: 0, forwardClaims: [] } },
      },
    );
    gw = await startGateway(config, { env: { JWT_SECRET: SECRET } });
  });
  after(async () => {
    await gw.close();
    // Leak check: closing the gateway releases every upstream connection.
    await until(async () => (await upstream.connections()) === 0, 2000, 'upstream connections to drain');
    await upstream.close();
  });

  it('counts an untrusted client by its socket address, whatever forwarding headers it sends', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await send(gw.port, '/spoof/x', {
        localAddress: UNTRUSTED,
        headers: {
          'x-forwarded-for': `9.9.9.${i}`,
          'x-real-ip': `8.8.8.${i}`,
          forwarded: `for=7.7.7.${i}`,
          'true-client-ip': `6.6.6.${i}`,
          'cf-connecting-ip': `5.5.5.${i}`,
        },
      });
      statuses.push(r.status);
      if (r.status === 200) assert.equal(upstream.seen.at(-1)!.headers['x-forwarded-for'], UNTRUSTED);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429, 429, 429]);
  });

  it('answers 429 with Retry-After and RateLimit fields, before the upstream is called', async () => {
    const before = upstream.seen.length;
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await send(gw.port, '/login', { localAddress: UNTRUSTED }));
    assert.deepEqual(
      replies.map((r) => r.status),
      [200, 200, 200, 429, 429],
    );
    assert.equal(upstream.seen.length - before, 3);
    const denied = replies[3]!;
    assert.deepEqual(json(denied), { error: 'rate_limited', status: 429 });
    const retry = Number(denied.headers['retry-after']);
    assert.ok(retry >= 1 && retry <= 20, `retry-after ${retry}`);
    assert.equal(denied.headers['ratelimit-policy'], '"login";q=3;w=60');
    assert.match(String(denied.headers.ratelimit), /^"login";r=0;t=\d+$/);
  });

  it('tells allowed clients their remaining budget (draft-ietf-httpapi-ratelimit-headers)', async () => {
    const r = await send(gw.port, '/login', { localAddress: '127.0.0.3' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['ratelimit-policy'], '"login";q=3;w=60');
    assert.match(String(r.headers.ratelimit), /^"login";r=2;t=\d+$/);
  });

  it('keys a trusted proxy’s requests by the rightmost untrusted X-Forwarded-For entry', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      // The leftmost entries are whatever the client typed; only 5.5.5.5 was added by our LB.
      const r = await send(gw.port, '/proxied/x', { localAddress: TRUSTED, headers: { 'x-forwarded-for': `6.6.6.${i}, 5.5.5.5` } });
      statuses.push(r.status);
    }
    assert.deepEqual(statuses, [200, 200, 429, 429]);
    // Another client behind the same LB has its own bucket; so does the LB itself.
    assert.equal((await send(gw.port, '/proxied/x', { localAddress: TRUSTED, headers: { 'x-forwarded-for': '6.6.6.6, 5.5.5.6' } })).status, 200);
    assert.equal((await send(gw.port, '/proxied/x', { localAddress: TRUSTED })).status, 200);
    // An untrusted peer claiming to be 5.5.5.5 is still itself.
    assert.equal((await send(gw.port, '/proxied/x', { localAddress: '127.0.0.4', headers: { 'x-forwarded-for': '5.5.5.5' } })).status, 200);
  });

  it('shares one bucket between spellings of the same route', async () => {
    const variants = ['/variants', '/variants/', '//variants', '/%76ariants', '/variants?x=1', '/variants/a/../', '/variants/./'];
    const statuses: number[] = [];
    for (const v of variants) statuses.push((await send(gw.port, v, { localAddress: '127.0.0.5' })).status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429, 429]);
  });

  it('counts each pipelined request on a keep-alive connection', async () => {
    const one = 'GET /pipelined HTTP/1.1\r\nHost: a\r\n\r\n';
    const r = await raw(gw.port, one.repeat(4) + 'GET /pipelined HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', { localAddress: '127.0.0.6' });
    const statuses = [...r.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  });

  it('rate-limits before verifying a token (ip limit on a JWT route)', async () => {
    const before = upstream.seen.length;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(gw.port, '/secure', { localAddress: '127.0.0.7', headers: { authorization: `Bearer forged.${i}.token` } })).status);
    assert.deepEqual(statuses, [401, 401, 429, 429, 429]);
    assert.equal(upstream.seen.length, before);
  });

  it('global: one bucket for everyone', async () => {
    const a = await send(gw.port, '/global', { localAddress: '127.0.0.8' });
    const b = await send(gw.port, '/global', { localAddress: '127.0.0.9' });
    const c = await send(gw.port, '/global', { localAddress: '127.0.0.10' });
    assert.deepEqual([a.status, b.status, c.status], [200, 200, 429]);
  });

  it('client: one bucket per authenticated subject, the address when anonymous', async () => {
    const alice = `Bearer ${await signHs(SECRET, claims({ sub: 'alice' }))}`;
    const bob = `Bearer ${await signHs(SECRET, claims({ sub: 'bob' }))}`;
    const st = async (auth: string, ip: string): Promise<number> => (await send(gw.port, '/per-client', { localAddress: ip, headers: { authorization: auth } })).status;
    // Alice from two addresses is still Alice.
    assert.deepEqual([await st(alice, '127.0.1.1'), await st(alice, '127.0.1.2'), await st(alice, '127.0.1.3')], [200, 200, 429]);
    assert.equal(await st(bob, '127.0.1.1'), 200);
    const anon = async (ip: string): Promise<number> => (await send(gw.port, '/anon-client', { localAddress: ip })).status;
    assert.deepEqual([await anon('127.0.1.4'), await anon('127.0.1.4'), await anon('127.0.1.4'), await anon('127.0.1.5')], [200, 200, 429, 200]);
  });

  it('allows requests + burst at once, then refills at requests/window', async () => {
    const b: number[] = [];
    for (let i = 0; i < 4; i++) b.push((await send(gw.port, '/burst', { localAddress: '127.0.2.1' })).status);
    assert.deepEqual(b, [200, 200, 200, 429]);
    const r: number[] = [];
    for (let i = 0; i < 11; i++) r.push((await send(gw.port, '/refill', { localAddress: '127.0.2.2' })).status);
    assert.equal(r.filter((s) => s === 200).length, 10);
    await sleep(250);
    assert.equal((await send(gw.port, '/refill', { localAddress: '127.0.2.2' })).status, 200);
  });
});

describe('in-memory bucket store bound', () => {
  it('drops expired buckets without changing decisions, and forgets the least recent key only beyond maxKeys', () => {
    const windowMs = 60_000;
    const store = new GcraMemoryStore(windowMs / 2, windowMs, 100); // 2 per minute
    const t0 = 1_000_000;
    assert.equal(store.take('victim', t0).allowed, true);
    assert.equal(store.take('victim', t0).allowed, true);
    assert.equal(store.take('victim', t0).allowed, false);
    // 98 other keys inside one window: the victim is still remembered.
    for (let i = 0; i < 98; i++) store.take(`k${i}`, t0 + 1);
    assert.equal(store.take('victim', t0 + 2).allowed, false);
    assert.ok(store.size <= 100);
    // Key cycling beyond the bound forgets the least recently seen key (documented bound).
    for (let i = 0; i < 200; i++) store.take(`cycle${i}`, t0 + 3);
    assert.ok(store.size <= 100, `size ${store.size}`);
    assert.ok(store.evictions > 0);
    // After the window everything has expired: a sweep drops it all, and a fresh key is allowed.
    for (let i = 0; i < 1024; i++) store.take(`late${i % 10}`, t0 + windowMs * 3);
    assert.ok(store.size <= 100);
    assert.equal(store.take('victim', t0 + windowMs * 3).allowed, true);
  });
});

describe('client address keys', () => {
  it('groups IPv6 clients by /64 and maps IPv4-mapped IPv6 to IPv4', () => {
    assert.equal(ipKey('203.0.113.7'), '203.0.113.7');
    assert.equal(ipKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(ipKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(ipKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.notEqual(ipKey('2001:db8:1:3::1'), ipKey('2001:db8:1:2::1'));
    assert.equal(ipKey('::1'), '0:0:0:0::/64');
    assert.equal(ipKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
  });
});
