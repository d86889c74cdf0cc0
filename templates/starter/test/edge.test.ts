// The starter's own tests: edge.yaml is consistent, every sample service instance answers with its
// identity, and the generated proxy config passes the real tool's check when it is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { startAll } from '../services/run.js';
import type { Running } from '../services/sample-service.js';

interface Spec {
  services: { name: string; port: number; instances: number; health: string }[];
  routes: { name: string; path: string; service: string }[];
  proxy: string;
}
interface ProxyRun {
  id: string;
  bin: string;
  validate: string[];
  dirs: string[];
  env?: Record<string, string>;
}

const spec = parse(readFileSync('edge.yaml', 'utf8')) as Spec;

function get(port: number, path: string): Promise<{ status: number; body: string; servedBy: string | undefined }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, servedBy: res.headers['x-served-by'] as string | undefined }));
    })
      .on('error', reject)
      .end();
  });
}

describe('edge.yaml', () => {
  it('every route targets a declared service, and paths are unique', () => {
    const names = new Set(spec.services.map((s) => s.name));
    for (const r of spec.routes) assert.ok(names.has(r.service), `route ${r.name} → ${r.service}`);
    assert.equal(new Set(spec.routes.map((r) => r.path)).size, spec.routes.length);
  });
});

describe('sample services', () => {
  let running: Running[] = [];
  before(async () => {
    running = await startAll('edge.yaml');
  });
  after(async () => {
    await Promise.all(running.map((r) => r.close()));
  });
  it('every instance is healthy and says who answered', async () => {
    for (const svc of spec.services) {
      for (let i = 0; i < svc.instances; i++) {
        const health = await get(svc.port + i, svc.health);
        assert.equal(health.status, 200);
        const r = await get(svc.port + i, '/hello');
        assert.equal(r.servedBy, `${svc.name}-${i + 1}`);
      }
    }
  });
});

describe('proxy config', () => {
  const proxies: ProxyRun[] = existsSync('scripts/proxies.json') ? JSON.parse(readFileSync('scripts/proxies.json', 'utf8')) : [];
  for (const p of proxies) {
    const installed = spawnSync('sh', ['-c', `command -v ${p.bin}`]).status === 0;
    it(`${p.id} accepts the generated config`, { skip: installed ? false : `${p.bin} is not installed` }, () => {
      for (const d of p.dirs) mkdirSync(d, { recursive: true });
      const certs = spawnSync('sh', ['-c', 'test -f certs/server.crt || (mkdir -p certs && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout certs/server.key -out certs/server.crt 2>/dev/null && cat certs/server.crt certs/server.key > certs/server.pem)']);
      assert.equal(certs.status, 0, 'could not create a test certificate');
      const r = spawnSync(p.bin, p.validate, { encoding: 'utf8', env: { ...process.env, ...(p.env ?? {}) } });
      assert.equal(r.status, 0, `${p.bin} ${p.validate.join(' ')}\n${r.stdout}${r.stderr}`);
    });
  }
});
