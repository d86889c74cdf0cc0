// security.md test 8 (C14c): TLS to upstreams is verified by default. A self-signed certificate,
// a certificate from an unknown CA and one for another name → 502 (fixed body); with the CA
// configured, the right certificate → 200. Health checks verify the same way.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { probe } from '../src/health.js';
import type { Gateway } from '../src/server.js';
import { Upstreams } from '../src/upstream.js';
import { DEFAULT_UPSTREAM } from '../src/upstream.js';
import { caCert, leafCert, leafKey, selfCert, selfKey, wrongCert, wrongKey } from './support/certs.js';
import { closeGateways, get, isFixedErrorBody, route, service, startGateway, testConfig } from './support/gateway.js';

async function httpsUpstream(key: string, cert: string): Promise<{ server: Server; port: number; hits: number }> {
  const state = { server: undefined as unknown as Server, port: 0, hits: 0 };
  state.server = createServer({ key, cert }, (_req, res) => {
    state.hits++;
    res.end('secret-from-tls-upstream');
  });
  await new Promise<void>((r) => state.server.listen(0, '127.0.0.1', r));
  state.port = (state.server.address() as { port: number }).port;
  return state;
}

describe('upstream TLS verification (security.md 8)', () => {
  const ups: Awaited<ReturnType<typeof httpsUpstream>>[] = [];
  let noCa: Gateway;
  let withCa: Gateway;
  before(async () => {
    ups.push(await httpsUpstream(selfKey, selfCert), await httpsUpstream(leafKey, leafCert), await httpsUpstream(wrongKey, wrongCert));
    const [self, leaf, wrong] = ups as [(typeof ups)[0], (typeof ups)[0], (typeof ups)[0]];
    const config = testConfig({
      services: [service('self', self.port, 1, { tls: true }), service('leaf', leaf.port, 1, { tls: true }), service('wrong', wrong.port, 1, { tls: true })],
      routes: [route('self', '/self', 'self'), route('leaf', '/leaf', 'leaf'), route('wrong', '/wrong', 'wrong')],
    });
    noCa = await startGateway(config);
    withCa = await startGateway(config, { upstream: { ca: caCert } });
  });
  after(async () => {
    await closeGateways();
    for (const u of ups) {
      u.server.closeAllConnections();
      u.server.close();
    }
  });

  for (const [path, status] of [
    ['/self/x', 502],
    ['/leaf/x', 502],
    ['/wrong/x', 502],
  ] as const) {
    it(`no CA configured: ${path} → ${status}`, async () => {
      const r = await get(noCa.port, path);
      assert.equal(r.status, status);
      assert.ok(isFixedErrorBody(r.body, status), r.body);
      assert.doesNotMatch(r.body, /secret|127\.0\.0\.1|CERT/i);
    });
  }

  it('CA configured: the right certificate → 200; self-signed and wrong name → 502', async () => {
    assert.equal((await get(withCa.port, '/leaf/x')).body, 'secret-from-tls-upstream');
    assert.equal((await get(withCa.port, '/self/x')).status, 502);
    assert.equal((await get(withCa.port, '/wrong/x')).status, 502);
  });

  it('TLS failures are not retried into a healthy state: repeated requests stay 502', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await get(noCa.port, '/self/x')).status, 502);
    assert.equal(ups[0]!.hits, 0, 'no request ever reached the unverified upstream');
  });

  it('health checks verify certificates too', async () => {
    const config = testConfig({ services: [service('self', ups[0]!.port, 1, { tls: true }), service('leaf', ups[1]!.port, 1, { tls: true })], routes: [route('a', '/a', 'self')] });
    const plain = new Upstreams(config, DEFAULT_UPSTREAM);
    try {
      const [self, leaf] = plain.services.map((s) => s.instances[0]!) as [NonNullable<(typeof plain.services)[0]['instances'][0]>, NonNullable<(typeof plain.services)[0]['instances'][0]>];
      assert.equal(await probe(self, '/healthz', 1000), false);
      assert.equal(await probe(leaf, '/healthz', 1000), false, 'unknown CA');
      assert.equal(await probe(leaf, '/healthz', 1000, caCert), true);
    } finally {
      await plain.close();
    }
  });
});
