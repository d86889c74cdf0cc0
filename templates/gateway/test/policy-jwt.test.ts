// JWT authentication through the real gateway: security.md tests 3 (algorithm safety), 4 (claims),
// 5 (identity headers) and 13 (JWKS faults).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompactSign } from 'jose';
import { createPolicies } from '../src/policies.js';
import { createGateway } from '../src/server.js';
import type { GatewayConfig, JwtConfig } from '../src/types.js';
import {
  AUDIENCE,
  claims,
  gatewayConfig,
  ISSUER,
  json,
  keyPair,
  memoryLogger,
  raw,
  route,
  send,
  signHs,
  signRs,
  sleep,
  startCounter,
  startGateway,
  startJwks,
  startUpstream,
  unsigned,
  type JwksServer,
  type KeyPair,
  type Running,
  type Upstream,
} from './policy-support.js';

const INVALID_BODY = { error: 'invalid_token', status: 401 };

function jwtConfig(jwksUrl: string, over: Partial<JwtConfig> = {}): JwtConfig {
  return { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'], jwksUrl, clockToleranceSeconds: 0, forwardClaims: ['sub', 'email', 'roles', 'email_verified'], ...over };
}

function jwtGatewayConfig(upstream: Upstream, jwks: string, over: Partial<JwtConfig> = {}): GatewayConfig {
  return gatewayConfig(upstream.port, [route({ name: 'api', path: '/api', auth: 'jwt' }), route({ name: 'open', path: '/open' })], { auth: { jwt: jwtConfig(jwks, over) } });
}

const bearer = (t: string): Record<string, string> => ({ authorization: `Bearer ${t}` });

function assertInvalid(r: { status: number; headers: Record<string, unknown>; body: string }, what: string): void {
  assert.equal(r.status, 401, `${what}: status`);
  assert.equal(r.headers['www-authenticate'], 'Bearer error="invalid_token"', `${what}: challenge`);
  assert.deepEqual(JSON.parse(r.body), INVALID_BODY, `${what}: body`);
}

describe('JWT: algorithms are pinned (security.md 3)', () => {
  let upstream: Upstream;
  let jwks: JwksServer;
  let gw: Running;
  let k1: KeyPair;
  let attacker: KeyPair;

  before(async () => {
    k1 = await keyPair('RS256', 'k1');
    attacker = await keyPair('RS256', 'evil');
    upstream = await startUpstream();
    jwks = await startJwks([k1.jwk]);
    gw = await startGateway(jwtGatewayConfig(upstream, jwks.url), { jwks: { timeoutMs: 500, cooldownMs: 30_000 } });
  });
  after(async () => {
    await gw.close();
    await jwks.close();
    await upstream.close();
  });

  it('accepts a valid RS256 token and forwards the verified identity', async () => {
    const token = await signRs(k1, claims({ email: 'ada@example.com', roles: ['admin', 'ops'], email_verified: true }));
    const r = await send(gw.port, '/api/me', { headers: bearer(token) });
    assert.equal(r.status, 200, r.body);
    const seen = upstream.seen.at(-1)!;
    assert.equal(seen.headers['x-user-id'], 'user-1');
    assert.equal(seen.headers['x-user-sub'], 'user-1');
    assert.equal(seen.headers['x-user-email'], 'ada@example.com');
    assert.equal(seen.headers['x-user-roles'], 'admin,ops');
    assert.equal(seen.headers['x-user-email-verified'], 'true');
  });

  it('refuses alg "none" in every spelling, without reaching the upstream', async () => {
    const before = upstream.seen.length;
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      for (const sig of ['', 'AAAA']) {
        const r = await send(gw.port, '/api/x', { headers: bearer(unsigned({ alg, typ: 'JWT' }, claims(), sig)) });
        assertInvalid(r, `alg ${alg}`);
      }
    }
    assert.equal(upstream.seen.length, before);
  });

  it('refuses HS* tokens whose secret is the public key (PEM, DER, JWK n): algorithm confusion', async () => {
    const before = upstream.seen.length;
    const pem = k1.spki;
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const n = k1.jwk.n as string;
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      for (const [name, secret] of [
        ['pem', pem],
        ['der', new Uint8Array(der)],
        ['n', n],
      ] as const) {
        const token = await signHs(secret, claims(), alg, { kid: 'k1' });
        assertInvalid(await send(gw.port, '/api/x', { headers: bearer(token) }), `${alg} with ${name}`);
      }
    }
    assert.equal(upstream.seen.length, before);
  });

  it('refuses an unknown crit header (RFC 7515 §4.1.11)', async () => {
    const token = await signRs(k1, claims(), { crit: ['x-edgewise'], 'x-edgewise': 1 }, { 'x-edgewise': true });
    assertInvalid(await send(gw.port, '/api/x', { headers: bearer(token) }), 'crit');
  });

  it('never fetches jku / x5u and ignores an embedded jwk', async () => {
    const evil = await startCounter();
    try {
      const url = `http://127.0.0.1:${evil.port}/keys`;
      const tokens = [
        await signRs(attacker, claims(), { jku: url }),
        await signRs(attacker, claims(), { x5u: url }),
        await signRs(attacker, claims(), { jwk: attacker.jwk }),
        await signRs(attacker, claims(), { kid: 'k1', jku: url }),
      ];
      for (const t of tokens) assertInvalid(await send(gw.port, '/api/x', { headers: bearer(t) }), 'attacker key');
      await sleep(100);
      assert.equal(evil.connections(), 0, 'the attacker URL was contacted');
    } finally {
      await evil.close();
    }
  });

  it('kid injection: hostile kids are just unknown keys (no refetch within the cooldown)', async () => {
    await send(gw.port, '/api/warm', { headers: bearer(await signRs(k1, claims())) });
    const hits = jwks.hits.length;
    for (const kid of ['../../../../dev/null', "' OR '1'='1", 'x'.repeat(10_000), '%00', 'k1\u0000']) {
      const token = await signRs(k1, claims(), { kid });
      assertInvalid(await send(gw.port, '/api/x', { headers: bearer(token) }), `kid ${kid.slice(0, 20)}`);
    }
    assert.equal(jwks.hits.length, hits, 'unknown kids refetched the JWKS during the cooldown');
    assert.ok(jwks.hits.every((h) => h === '/jwks'));
  });

  it('answers 401 with a plain challenge when there is no bearer token', async () => {
    for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer' }] as Record<string, string>[]) {
      const r = await send(gw.port, '/api/x', { headers });
      assert.equal(r.status, 401);
      assert.equal(r.headers['www-authenticate'], 'Bearer realm="test"');
      assert.deepEqual(json(r), { error: 'unauthorized', status: 401 });
    }
    assertInvalid(await send(gw.port, '/api/x', { headers: { authorization: 'Bearer a b c' } }), 'malformed token');
    assertInvalid(await send(gw.port, '/api/x', { headers: bearer('x'.repeat(9000)) }), 'oversized token');
  });

  it('does not apply to routes without auth', async () => {
    const r = await send(gw.port, '/open/x');
    assert.equal(r.status, 200);
  });
});

describe('JWT: claims (security.md 4)', () => {
  let upstream: Upstream;
  let jwks: JwksServer;
  let gw: Running;
  let tolerant: Running;
  let k1: KeyPair;

  before(async () => {
    k1 = await keyPair('ES256', 'k1');
    upstream = await startUpstream();
    jwks = await startJwks([k1.jwk]);
    gw = await startGateway(jwtGatewayConfig(upstream, jwks.url, { algorithms: ['ES256'] }), { jwks: { timeoutMs: 500 } });
    tolerant = await startGateway(jwtGatewayConfig(upstream, jwks.url, { algorithms: ['ES256'], clockToleranceSeconds: 30 }), { jwks: { timeoutMs: 500 } });
  });
  after(async () => {
    await gw.close();
    await tolerant.close();
    await jwks.close();
    await upstream.close();
  });

  const now = (): number => Math.floor(Date.now() / 1000);

  it('requires exp, and checks exp, nbf, iss and aud', async () => {
    const before = upstream.seen.length;
    const { exp: _omit, ...noExp } = claims();
    const cases: [string, Record<string, unknown>][] = [
      ['no exp', noExp],
      ['expired 1 s ago', claims({ exp: now() - 1 })],
      ['exp as string', claims({ exp: '9999999999' as unknown as number })],
      ['exp 1e20', claims({ exp: 1e20 })],
      ['nbf in 10 min', claims({ nbf: now() + 600 })],
      ['no iss', claims({ iss: undefined })],
      ['other iss', claims({ iss: 'https://evil.test' })],
      ['iss as array', claims({ iss: [ISSUER] as unknown as string })],
      ['no aud', claims({ aud: undefined })],
      ['other aud', claims({ aud: 'other-api' })],
      ['aud array without ours', claims({ aud: ['a', 'b'] })],
      ['no subject', claims({ sub: undefined })],
    ];
    for (const [name, payload] of cases) assertInvalid(await send(gw.port, '/api/x', { headers: bearer(await signRs(k1, payload)) }), name);
    assert.equal(upstream.seen.length, before, 'a rejected token reached the upstream');
  });

  it('accepts aud as an array that contains the audience', async () => {
    const r = await send(gw.port, '/api/x', { headers: bearer(await signRs(k1, claims({ aud: ['other', AUDIENCE] }))) });
    assert.equal(r.status, 200);
  });

  it('applies the configured clock tolerance, and only that', async () => {
    const late = await signRs(k1, claims({ exp: now() - 10 }));
    assertInvalid(await send(gw.port, '/api/x', { headers: bearer(late) }), 'no tolerance');
    assert.equal((await send(tolerant.port, '/api/x', { headers: bearer(late) })).status, 200);
    const tooLate = await signRs(k1, claims({ exp: now() - 60 }));
    assertInvalid(await send(tolerant.port, '/api/x', { headers: bearer(tooLate) }), 'beyond tolerance');
    const early = await signRs(k1, claims({ nbf: now() + 20 }));
    assert.equal((await send(tolerant.port, '/api/x', { headers: bearer(early) })).status, 200);
  });

  it('stops accepting a cached token when it expires', async () => {
    const token = await signRs(k1, claims({ exp: now() + 2 }));
    assert.equal((await send(gw.port, '/api/x', { headers: bearer(token) })).status, 200);
    assert.equal((await send(gw.port, '/api/x', { headers: bearer(token) })).status, 200);
    await sleep(Math.max(0, (now() + 2) * 1000 - Date.now()) + 1100);
    assertInvalid(await send(gw.port, '/api/x', { headers: bearer(token) }), 'expired while cached');
  });

  it('forwards the last value of a duplicated claim (JSON last-wins, documented)', async () => {
    const payload = `{"iss":"${ISSUER}","aud":"${AUDIENCE}","exp":${now() + 600},"sub":"user","sub":"admin"}`;
    const token = await new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(k1.privateKey);
    assert.equal((await send(gw.port, '/api/x', { headers: bearer(token) })).status, 200);
    assert.equal(upstream.seen.at(-1)!.headers['x-user-id'], 'admin');
  });

  it('refuses a configuration it cannot enforce safely, at startup', async () => {
    const bad: [string, Partial<JwtConfig>, Record<string, string>?][] = [
      ['no algorithms', { algorithms: [] }],
      ['alg none', { algorithms: ['none'] }],
      ['mixed HS and RS', { algorithms: ['HS256', 'RS256'], secretEnv: 'S' }, { S: 'x'.repeat(64) }],
      ['tolerance above 300 s', { clockToleranceSeconds: 301 }],
      ['HS without secretEnv', { algorithms: ['HS256'] }],
      ['HS secret missing', { algorithms: ['HS256'], secretEnv: 'MISSING_SECRET' }, {}],
      ['HS256 secret of 31 bytes', { algorithms: ['HS256'], secretEnv: 'S' }, { S: 'x'.repeat(31) }],
      ['plain-http JWKS on a remote host', { jwksUrl: 'http://idp.example.com/jwks' }],
    ];
    for (const [name, over, env] of bad) {
      const config = jwtGatewayConfig(upstream, jwks.url, over);
      await assert.rejects(
        createGateway(config, { policies: (deps) => createPolicies(deps, { env: env ?? {} }), port: 0, host: '127.0.0.1' }),
        (err: Error & { code?: string }) => err.code === 'EW_GW_JWT_CONFIG',
        name,
      );
    }
  });
});

describe('JWT: HS256 with a secret from the environment', () => {
  let upstream: Upstream;
  let gw: Running;
  const secret = 'a-local-development-secret-of-40-bytes!!';

  before(async () => {
    upstream = await startUpstream();
    const config = gatewayConfig(upstream.port, [route({ name: 'api', path: '/api', auth: 'jwt' })], {
      auth: { jwt: { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], secretEnv: 'JWT_SECRET', clockToleranceSeconds: 0, forwardClaims: ['sub'] } },
    });
    gw = await startGateway(config, { env: { JWT_SECRET: secret } });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('verifies with the secret, refuses other secrets and other algorithms', async () => {
    assert.equal((await send(gw.port, '/api/x', { headers: bearer(await signHs(secret, claims())) })).status, 200);
    assertInvalid(await send(gw.port, '/api/x', { headers: bearer(await signHs(`${secret}?`, claims())) }), 'wrong secret');
    assertInvalid(await send(gw.port, '/api/x', { headers: bearer(await signHs(secret, claims(), 'HS512')) }), 'HS512 not configured');
    const rs = await keyPair('RS256', 'k');
    assertInvalid(await send(gw.port, '/api/x', { headers: bearer(await signRs(rs, claims())) }), 'RS256 not configured');
  });
});

describe('JWT: identity headers cannot be forged (security.md 5, identity part)', () => {
  let upstream: Upstream;
  let jwks: JwksServer;
  let gw: Running;
  let k1: KeyPair;

  before(async () => {
    k1 = await keyPair('RS256', 'k1');
    upstream = await startUpstream();
    jwks = await startJwks([k1.jwk]);
    gw = await startGateway(jwtGatewayConfig(upstream, jwks.url));
  });
  after(async () => {
    await gw.close();
    await jwks.close();
    await upstream.close();
  });

  it('overwrites client x-user-* and drops x-auth-*, even when Connection lists them', async () => {
    const token = await signRs(k1, claims({ sub: 'real-user' }));
    for (const connection of ['keep-alive', 'keep-alive, x-user-id, x-forwarded-for', 'x-user-sub']) {
      const r = await send(gw.port, '/api/x', {
        headers: { ...bearer(token), 'x-user-id': 'admin', 'X-User-Roles': 'admin', 'x-auth-subject': 'admin', 'x-user-sub': 'admin', connection },
      });
      assert.equal(r.status, 200);
      const seen = upstream.seen.at(-1)!;
      assert.equal(seen.headers['x-user-id'], 'real-user', connection);
      assert.equal(seen.headers['x-user-sub'], 'real-user', connection);
      assert.equal(seen.headers['x-user-roles'], undefined);
      assert.equal(seen.headers['x-auth-subject'], undefined);
      assert.equal(seen.rawHeaders.filter((h) => h.toLowerCase() === 'x-user-id').length, 1);
    }
  });

  it('sends no identity at all for anonymous requests', async () => {
    const r = await send(gw.port, '/open/x', { headers: { 'x-user-id': 'admin', 'x-user-email': 'a@b' } });
    assert.equal(r.status, 200);
    const seen = upstream.seen.at(-1)!;
    assert.equal(seen.headers['x-user-id'], undefined);
    assert.equal(seen.headers['x-user-email'], undefined);
  });

  it('refuses the underscore spelling (X_User_Id) instead of forwarding it', async () => {
    const before = upstream.seen.length;
    const r = await raw(gw.port, 'GET /open/x HTTP/1.1\r\nHost: a\r\nX_User_Id: admin\r\nConnection: close\r\n\r\n');
    assert.match(r.text, /^HTTP\/1\.1 400 /);
    assert.equal(upstream.seen.length, before);
  });

  it('percent-encodes claim values that are not header-safe', async () => {
    const token = await signRs(k1, claims({ email: 'josé@example.com\r\nx-injected: 1' }));
    const r = await send(gw.port, '/api/x', { headers: bearer(token) });
    assert.equal(r.status, 200);
    const seen = upstream.seen.at(-1)!;
    assert.equal(seen.headers['x-injected'], undefined);
    assert.equal(seen.headers['x-user-email'], encodeURIComponent('josé@example.com\r\nx-injected: 1'));
    // A lone surrogate cannot be encoded: the header is left out, the request still goes through.
    const odd = await signRs(k1, claims({ email: '\ud800' }));
    assert.equal((await send(gw.port, '/api/x', { headers: bearer(odd) })).status, 200);
    assert.equal(upstream.seen.at(-1)!.headers['x-user-email'], undefined);
  });
});

describe('JWKS faults fail closed (security.md 13)', () => {
  let upstream: Upstream;
  let k1: KeyPair;
  let k2: KeyPair;

  before(async () => {
    k1 = await keyPair('RS256', 'k1');
    k2 = await keyPair('RS256', 'k2');
    upstream = await startUpstream();
  });
  after(async () => {
    await upstream.close();
  });

  async function withJwks(mode: JwksServer['mode'], fn: (gw: Running, jwks: JwksServer) => Promise<void>, opts: { cooldownMs?: number; keys?: KeyPair[] } = {}): Promise<void> {
    const jwks = await startJwks((opts.keys ?? [k1]).map((k) => k.jwk));
    jwks.mode = mode;
    const gw = await startGateway(jwtGatewayConfig(upstream, jwks.url), { jwks: { timeoutMs: 500, cooldownMs: opts.cooldownMs ?? 30_000, failureBackoffMs: 200 } });
    try {
      await fn(gw, jwks);
    } finally {
      await gw.close();
      await jwks.close();
    }
  }

  for (const mode of ['500', 'invalid-json', 'hang', 'huge'] as const) {
    it(`JWKS ${mode} → 503 auth_unavailable within the timeout, upstream untouched`, async () => {
      await withJwks(mode, async (gw) => {
        const before = upstream.seen.length;
        const token = await signRs(k1, claims());
        for (let i = 0; i < 3; i++) {
          const r = await send(gw.port, '/api/x', { headers: bearer(token) });
          assert.equal(r.status, 503, r.body);
          assert.deepEqual(json(r), { error: 'auth_unavailable', status: 503 });
          assert.ok(r.headers['retry-after']);
          assert.ok(r.ms < 1000, `took ${r.ms} ms`);
        }
        assert.equal(upstream.seen.length, before);
      });
    });
  }

  it('JWKS with no keys → 401 (the keys were fetched; none matches)', async () => {
    await withJwks('empty', async (gw) => {
      assertInvalid(await send(gw.port, '/api/x', { headers: bearer(await signRs(k1, claims())) }), 'empty JWKS');
    });
  });

  it('does not follow a JWKS redirect (SSRF)', async () => {
    const evil = await startCounter();
    try {
      await withJwks('redirect', async (gw, jwks) => {
        jwks.redirectTo = `http://127.0.0.1:${evil.port}/jwks`;
        const r = await send(gw.port, '/api/x', { headers: bearer(await signRs(k1, claims())) });
        assert.equal(r.status, 503);
        await sleep(100);
        assert.equal(evil.connections(), 0);
      });
    } finally {
      await evil.close();
    }
  });

  it('a random-kid storm costs at most one JWKS fetch per cooldown', async () => {
    await withJwks('ok', async (gw, jwks) => {
      assert.equal((await send(gw.port, '/api/x', { headers: bearer(await signRs(k1, claims())) })).status, 200);
      const hits = jwks.hits.length;
      const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => signRs(k1, claims(), { kid: `random-${i}-${Math.random()}` })));
      const replies = await Promise.all(tokens.map((t) => send(gw.port, '/api/x', { headers: bearer(t) })));
      assert.ok(replies.every((r) => r.status === 401));
      assert.ok(jwks.hits.length - hits <= 1, `${jwks.hits.length - hits} fetches`);
    });
  });

  it('picks up a rotated key after at most one refetch once the cooldown has passed', async () => {
    await withJwks(
      'ok',
      async (gw, jwks) => {
        assert.equal((await send(gw.port, '/api/x', { headers: bearer(await signRs(k1, claims())) })).status, 200);
        jwks.keys.push(k2.jwk);
        await sleep(350);
        const hits = jwks.hits.length;
        assert.equal((await send(gw.port, '/api/x', { headers: bearer(await signRs(k2, claims())) })).status, 200);
        assert.equal(jwks.hits.length - hits, 1);
      },
      { cooldownMs: 300 },
    );
  });

  it('keeps verifying with cached keys while the JWKS endpoint is down', async () => {
    await withJwks('ok', async (gw, jwks) => {
      assert.equal((await send(gw.port, '/api/x', { headers: bearer(await signRs(k1, claims())) })).status, 200);
      jwks.mode = '500';
      // A new token (not in the verified-token cache) still verifies with the cached key.
      assert.equal((await send(gw.port, '/api/x', { headers: bearer(await signRs(k1, claims({ sub: 'other' }))) })).status, 200);
      // An unknown kid during the outage: fail closed.
      const r = await send(gw.port, '/api/x', { headers: bearer(await signRs(k2, claims())) });
      assert.ok(r.status === 503 || r.status === 401, String(r.status));
    });
  });

  it('logs the reason of a rejection only at debug level, never the token', async () => {
    const { logger, lines } = memoryLogger('debug');
    const jwks = await startJwks([k1.jwk]);
    const gw = await createGateway(jwtGatewayConfig(upstream, jwks.url), { policies: (d) => createPolicies(d), port: 0, host: '127.0.0.1', logger, accessLog: false });
    try {
      const token = await signRs(k1, claims({ exp: Math.floor(Date.now() / 1000) - 5 }));
      assertInvalid(await send(gw.port, '/api/x', { headers: bearer(token) }), 'expired');
      const text = JSON.stringify(lines);
      assert.ok(!text.includes(token.split('.')[2]!), 'the token reached the log');
      assert.ok(lines.some((l) => l.msg === 'jwt rejected' && l.level === 20));
    } finally {
      await gw.close();
      await jwks.close();
    }
  });
});
