// The generated starter as its users run it: its own `npm test` passes inside it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATEWAY_DEPENDENCIES, STARTER_DEPENDENCIES, STARTER_DEV_DEPENDENCIES } from '../src/targets/starter/versions.js';
import { ROOT } from './helpers.js';

const BIN = join(ROOT, 'bin', 'edgewise.js');
const ENV = { ...process.env, NO_COLOR: '1', CI: '' } as NodeJS.ProcessEnv;

function generate(args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgewise-starter-'));
  const r = spawnSync(process.execPath, [BIN, 'generate', 'proj', ...args], { cwd: dir, env: ENV, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return join(dir, 'proj');
}

describe('starter', () => {
  it('pins the same dependency versions edgewise is tested with', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const ours = { ...pkg.dependencies, ...pkg.devDependencies };
    for (const [name, version] of Object.entries({ ...STARTER_DEPENDENCIES, ...GATEWAY_DEPENDENCIES, ...STARTER_DEV_DEPENDENCIES })) expect(ours[name], name).toBe(version);
  });

  for (const [name, args] of [
    ['self-hosted with nginx', ['--platform', 'self-hosted', '--services', '2', '--rate-limit', 'global', '--caching']],
    ['self-hosted with haproxy', ['--platform', 'self-hosted', '--services', '2', '--proxy', 'haproxy']],
    ['self-hosted with caddy', ['--platform', 'self-hosted', '--services', '1', '--proxy', 'caddy']],
  ] as const) {
    it(`${name}: the starter's own npm test passes (type-check, services, the real proxy's config check)`, () => {
      const proj = generate([...args]);
      symlinkSync(join(ROOT, 'node_modules'), join(proj, 'node_modules'));
      const r = spawnSync('npm', ['test'], { cwd: proj, env: ENV, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/# fail 0/);
      expect(r.stdout).not.toMatch(/# skipped [1-9]/);
    }, 150_000);
  }
});

describe('starter with the gateway, end to end', () => {
  it('a real npm install, then the starter\'s own npm test (type-check, services, gateway suite)', () => {
    const proj = generate(['--platform', 'aws', '--compute', 'containers', '--services', '2', '--auth', 'jwt', '--rate-limit', 'global']);
    const inst = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: proj, env: ENV, encoding: 'utf8', timeout: 240_000 });
    expect(inst.status, inst.stderr).toBe(0);
    const r = spawnSync('npm', ['test'], { cwd: proj, env: ENV, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stdout.slice(-3000) + r.stderr.slice(-2000)).toBe(0);
    expect(r.stdout).toMatch(/# fail 0/);
  }, 600_000);
});
