// Response cache through the real gateway: security.md test 10 (cache safety) — unkeyed-header
// poisoning, never storing credentials / Set-Cookie / private / no-store / Vary: * / non-200 /
// oversized / truncated responses, cache deception, key normalisation — plus freshness, variants,
// request coalescing and the byte bound.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gatewayConfig, route, send, sleep, startGateway, startUpstream, until, type Reply, type Running, type Upstream } from './policy-support.js';

let counter = 0;

function reply(res: ServerResponse, body: unknown, headers: Record<string, string | string[]> = {}, status = 200): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  const n = ++counter;
  const url = new URL(req.url ?? '/', 'http://upstream.invalid');
  const p = url.pathname;
  const echo = { n, path: p, query: url.search, host: req.headers['x-forwarded-host'] ?? null, original: req.headers['x-original-url'] ?? null, override: req.headers['x-http-method-override'] ?? null, proto: req.headers['x-forwarded-proto'] ?? null, origin: req.headers.origin ?? null };
  switch (p) {
    case '/setcookie':
      return reply(res, echo, { 'set-cookie': ['a=1', 'b=2'] });
    case '/private':
      return reply(res, echo, { 'cache-control': 'private, max-age=60' });
    case '/nostore':
      return reply(res, echo, { 'cache-control': 'no-store' });
    case '/nocache':
      return reply(res, echo, { 'cache-control': 'no-cache' });
    case '/varystar':
      return reply(res, echo, { vary: '*' });
    case '/missing':
      return reply(res, echo, {}, 404);
    case '/created':
      return reply(res, echo, {}, 201);
    case '/big':
      return reply(res, { n, pad: 'x'.repeat(100 * 1024) });
    case '/medium':
      return reply(res, { n, pad: 'x'.repeat(40 * 1024) });
    case '/public':
      return reply(res, echo, { 'cache-control': 'public, max-age=60' });
    case '/smaxage':
      return reply(res, echo, { 'cache-control': 's-maxage=60' });
    case '/short':
      return reply(res, echo, { 'cache-control': 'max-age=1' });
    case '/expired':
      return reply(res, echo, { expires: 'Thu, 01 Jan 1970 00:00:00 GMT' });
    case '/aged':
      return reply(res, echo, { 'cache-control': 'max-age=10', age: '10' });
    case '/lang':
      return reply(res, { n, lang: req.headers['accept-language'] ?? null }, { vary: 'Accept-Language' });
    case '/gzip':
      return reply(res, 'not really gzip', { 'content-encoding': 'gzip', vary: 'Accept-Encoding' });
    case '/slow':
      setTimeout(() => reply(res, echo), 300);
      return;
    case '/truncated':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      res.write('partial--');
      setTimeout(() => res.destroy(), 20);
      return;
    case '/account/profile.css':
      // Ignores the suffix and returns private data when a session cookie is present.
      return reply(res, { n, account: req.headers.cookie ? 'PRIVATE DATA' : 'anonymous' });
    default:
      return reply(res, echo);
  }
}

describe('response cache (security.md 10)', () => {
  let upstream: Upstream;
  let gw: Running;

  before(async () => {
    upstream = await startUpstream((req, res) => handler(req, res));
    const config = gatewayConfig(upstream.port, [route({ name: 'cached', path: '/c', cacheTtlSeconds: 60 }), route({ name: 'uncached', path: '/u' })]);
    gw = await startGateway(config, { cache: { maxObjectBytes: 64 * 1024, maxBytes: 120 * 1024 } });
  });
  after(async () => {
    await gw.close();
    // Leak check: closing the gateway releases every upstream connection.
    await until(async () => (await upstream.connections()) === 0, 2000, 'upstream connections to drain');
    await upstream.close();
  });

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> => send(gw.port, path, { headers, method });
  const n = (r: Reply): number => (JSON.parse(r.body) as { n: number }).n;

  it('stores a cacheable GET and serves it with X-Cache: HIT and Age', async () => {
    const a = await get('/c/plain');
    const b = await get('/c/plain');
    assert.equal(a.headers['x-cache'], 'MISS');
    assert.equal(b.headers['x-cache'], 'HIT');
    assert.equal(n(a), n(b));
    assert.match(String(b.headers.age), /^\d+$/);
    assert.equal(b.headers['content-type'], 'application/json');
    assert.equal(a.body, b.body);
    const u = await get('/u/plain');
    assert.equal(u.headers['x-cache'], undefined, 'uncached routes carry no X-Cache');
  });

  it('answers HEAD from a stored GET, and never stores a HEAD answer', async () => {
    await get('/c/head-a');
    const h = await get('/c/head-a', {}, 'HEAD');
    assert.equal(h.headers['x-cache'], 'HIT');
    assert.equal(h.body, '');
    const h2 = await get('/c/head-b', {}, 'HEAD');
    assert.equal(h2.headers['x-cache'], 'MISS');
    const g = await get('/c/head-b');
    assert.equal(g.headers['x-cache'], 'MISS');
    assert.ok(g.body.length > 0);
  });

  it('cannot be poisoned through unkeyed headers', async () => {
    const poison = await get('/c/poison', {
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'gopher',
      'x-original-url': '/admin',
      'x-http-method-override': 'DELETE',
    });
    assert.equal(poison.status, 200);
    for (const bad of ['evil.example', '/admin', 'DELETE', 'gopher']) assert.ok(!poison.body.includes(bad), `${bad} reached the upstream`);
    const fromEvil = await get('/c/poison-origin', { origin: 'https://evil.example' });
    assert.ok(fromEvil.body.includes('evil.example'));
    const clean = await get('/c/poison-origin');
    assert.ok(!clean.body.includes('evil.example'), 'a response for another Origin was served');
    assert.equal(clean.headers['x-cache'], 'MISS');
  });

  for (const [name, path, headers] of [
    ['a request with Authorization', '/c/authz', { authorization: 'Bearer x' }],
    ['a request with Cookie', '/c/cookie', { cookie: 'session=1' }],
    ['a response with Set-Cookie', '/c/setcookie', {}],
    ['Cache-Control: private', '/c/private', {}],
    ['Cache-Control: no-store', '/c/nostore', {}],
    ['Cache-Control: no-cache', '/c/nocache', {}],
    ['Vary: *', '/c/varystar', {}],
    ['a 404', '/c/missing', {}],
    ['a 201', '/c/created', {}],
    ['a body over the object limit', '/c/big', {}],
    ['an Expires in the past', '/c/expired', {}],
    ['a response already as old as its max-age', '/c/aged', {}],
  ] as const) {
    it(`never stores ${name}`, async () => {
      const a = await get(path, headers);
      const b = await get(path, headers);
      assert.notEqual(n(a), n(b), 'served from cache');
      assert.equal(b.headers['x-cache'], 'MISS');
    });
  }

  it('passes repeated Set-Cookie through intact', async () => {
    const r = await get('/c/setcookie');
    assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2']);
  });

  it('never stores a truncated response', async () => {
    const before = upstream.seen.length;
    await get('/c/truncated').catch(() => undefined);
    await get('/c/truncated').catch(() => undefined);
    assert.equal(upstream.seen.filter((s) => s.url === '/truncated').length >= 2, true);
    assert.ok(upstream.seen.length - before >= 2);
  });

  it('stores responses to credentialed requests only when they say public or s-maxage (RFC 9111 §3.5)', async () => {
    const a = await get('/c/public', { authorization: 'Bearer x' });
    const b = await get('/c/public');
    assert.equal(n(a), n(b));
    const c = await get('/c/smaxage', { cookie: 'a=b' });
    const d = await get('/c/smaxage');
    assert.equal(n(c), n(d));
  });

  it('cache deception: a private page under a static-looking suffix is not stored', async () => {
    const victim = await get('/c/account/profile.css', { cookie: 'session=victim' });
    assert.ok(victim.body.includes('PRIVATE DATA'));
    const attacker = await get('/c/account/profile.css');
    assert.ok(!attacker.body.includes('PRIVATE DATA'));
  });

  it('respects a max-age shorter than the route TTL', async () => {
    const a = await get('/c/short');
    assert.equal(n(await get('/c/short')), n(a));
    await sleep(1100);
    const c = await get('/c/short');
    assert.notEqual(n(c), n(a));
  });

  it('keys on the normalised path and the raw query (documented)', async () => {
    const a = await get('/c/key?b=1&c=2');
    assert.equal(n(await get('/c/key?b=1&c=2')), n(a));
    assert.notEqual(n(await get('/c/key?c=2&b=1')), n(a), 'query order is part of the key');
    assert.equal(n(await get('/c/%6bey?b=1&c=2')), n(a), '%6b is k');
    assert.equal(n(await get('/c/x/../key?b=1&c=2')), n(a), 'dot segments resolved');
    assert.notEqual(n(await get('/c/KEY?b=1&c=2')), n(a), 'paths are case-sensitive');
    assert.notEqual(n(await get('/c/key?b=1&c=3')), n(a));
  });

  it('refuses a GET with a body instead of keying or storing it', async () => {
    const r = await send(gw.port, '/c/fat', { method: 'GET', body: 'x=1', headers: { 'content-type': 'text/plain' } });
    assert.equal(r.status, 400);
  });

  it('keeps one variant per Vary, and serves encodings only to clients that accept them', async () => {
    const en = await get('/c/lang', { 'accept-language': 'en' });
    assert.equal(n(await get('/c/lang', { 'accept-language': 'en' })), n(en));
    const fr = await get('/c/lang', { 'accept-language': 'fr' });
    assert.notEqual(n(fr), n(en));
    assert.ok(fr.body.includes('"fr"'));
    const gz = await get('/c/gzip', { 'accept-encoding': 'gzip' });
    assert.equal((await get('/c/gzip', { 'accept-encoding': 'gzip, br' })).headers['x-cache'], 'HIT');
    const plain = await get('/c/gzip', { 'accept-encoding': 'identity' });
    assert.equal(plain.headers['x-cache'], 'MISS');
    assert.equal(gz.headers['content-encoding'], 'gzip');
  });

  it('coalesces concurrent misses into one upstream request', async () => {
    const before = upstream.seen.filter((s) => s.url === '/slow').length;
    const replies = await Promise.all(Array.from({ length: 20 }, () => get('/c/slow')));
    assert.ok(replies.every((r) => r.status === 200));
    assert.equal(upstream.seen.filter((s) => s.url === '/slow').length - before, 1);
    assert.equal(new Set(replies.map(n)).size, 1);
  });

  it('stays within its byte budget (LRU)', async () => {
    // 120 KiB budget, 40 KiB objects: the fourth evicts the first.
    const first = await get('/c/medium?1');
    await get('/c/medium?2');
    await get('/c/medium?3');
    await get('/c/medium?4');
    const again = await get('/c/medium?1');
    assert.notEqual(n(again), n(first));
    assert.equal((await get('/c/medium?4')).headers['x-cache'], 'HIT');
  });
});
