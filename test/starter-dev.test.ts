// `npm run dev` of generated starters, on random loopback ports: the gateway in front of the sample
// services (AWS containers) and in front of local Lambda functions (AWS lambda, payload format 2.0).
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planProject } from '../src/generate/plan.js';
import { writePlan } from '../src/io/writer.js';
import { ROOT } from './helpers.js';
import { http, waitForPort } from './support/net.js';
import { startProcess, stopAll } from './support/proc.js';
import { CTX, scenarioSpec, withRandomPorts } from './support/specs.js';

afterAll(stopAll);

async function run(scenario: string) {
  const spec = await withRandomPorts(scenarioSpec(scenario), (s) => {
    s.tls.local = 'off';
    for (const r of s.routes) r.auth = 'none';
    s.auth = {};
  });
  const dir = join(mkdtempSync(join(tmpdir(), 'edgewise-dev-')), 'proj');
  await writePlan(await planProject(spec, CTX), dir);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const dev = startProcess(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  try {
    await waitForPort(spec.gateway.port, 20_000);
  } catch (e) {
    throw new Error(`${String(e)}\n${dev.output()}`);
  }
  return { spec, dev };
}

describe('npm run dev', () => {
  it('AWS containers: the local gateway balances across the sample service instances', async () => {
    const { spec, dev } = await run('aws-containers-jwt');
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const r = await http(spec.gateway.port, '/api/users/hello');
      expect(r.status, dev.output()).toBe(200);
      seen.add(String(r.headers['x-served-by']));
      expect(r.json().path).toBe('/hello');
    }
    expect([...seen].sort()).toEqual(['users-1', 'users-2']);
    expect((await http(spec.gateway.port, '/api/orders/x')).json().service).toBe('orders');
    expect((await http(spec.gateway.port, '/nope')).status).toBe(404);
    await dev.stop();
  }, 60_000);

  it('AWS Lambda: the gateway invokes functions/<name> with the HTTP API 2.0 event and maps the result', async () => {
    const { spec, dev } = await run('aws-lambda');
    expect(spec.gateway.lambdaEventFormat).toBeDefined();
    const r = await http(spec.gateway.port, '/api/users/items?x=1', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(r.status, dev.output()).toBe(200);
    expect(r.body.length).toBeGreaterThan(0);
    await dev.stop();
  }, 60_000);
});
