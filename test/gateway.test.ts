// The TypeScript gateway's own test suite (templates/gateway/test, node:test) — the same files every
// starter runs as gateway/test — executed from edgewise's suite. Needs redis-server for the shared
// rate-limit tests (.ci/run installs it).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

describe('gateway test suite (node:test)', () => {
  it('passes, with nothing skipped', () => {
    const dir = join(ROOT, 'templates', 'gateway', 'test');
    const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => join(dir, f));
    expect(files.length).toBeGreaterThan(15);
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NO_COLOR: '1' } });
    const tail = r.stdout.split('\n').slice(-12).join('\n');
    expect(r.status, `${tail}\n${r.stderr.slice(-2000)}`).toBe(0);
    expect(r.stdout).toMatch(/# fail 0/);
    expect(r.stdout, 'a skipped test means something the CI should provide is missing (redis-server?)').toMatch(/# skipped 0/);
    expect(Number(/# pass (\d+)/.exec(r.stdout)?.[1] ?? 0)).toBeGreaterThan(250);
  }, 320_000);
});
