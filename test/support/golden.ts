// Golden files: the planned files of a scenario are compared with test/golden/<scenario>/, file by
// file. UPDATE_GOLDEN=1 rewrites them (review the diff like code).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from 'vitest';
import type { PlannedFile } from '../../src/io/writer.js';
import { ROOT } from '../helpers.js';

const listFiles = (dir: string): string[] =>
  !existsSync(dir)
    ? []
    : readdirSync(dir).flatMap((e) => {
        const p = join(dir, e);
        return statSync(p).isDirectory() ? listFiles(p) : [p];
      });

/** Compares the files under `prefix` (e.g. "proxy/nginx/") with test/golden/<scenario>/<prefix>. */
export function expectGolden(scenario: string, files: readonly PlannedFile[], prefix = ''): void {
  const dir = join(ROOT, 'test', 'golden', scenario);
  const mine = files.filter((f) => f.path.startsWith(prefix));
  expect(mine.length, `files under ${prefix}`).toBeGreaterThan(0);
  if (process.env.UPDATE_GOLDEN) {
    rmSync(join(dir, prefix), { recursive: true, force: true });
    for (const f of mine) {
      const p = join(dir, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.contents);
    }
    return;
  }
  const onDisk = listFiles(join(dir, prefix)).map((p) => relative(dir, p).split('\\').join('/')).sort();
  expect(onDisk, `golden files of ${scenario}/${prefix} (UPDATE_GOLDEN=1 to refresh)`).toEqual(mine.map((f) => f.path).sort());
  for (const f of mine) expect(f.contents, `${scenario}/${f.path} (UPDATE_GOLDEN=1 to refresh)`).toBe(readFileSync(join(dir, f.path), 'utf8'));
}

/** Compares exactly these files with their golden copies (other files in the scenario folder are not ours). */
export function expectGoldenFiles(scenario: string, files: readonly PlannedFile[]): void {
  const dir = join(ROOT, 'test', 'golden', scenario);
  for (const f of files) {
    const p = join(dir, f.path);
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.contents);
      continue;
    }
    expect(existsSync(p), `${scenario}/${f.path} has no golden copy (UPDATE_GOLDEN=1 to create)`).toBe(true);
    expect(f.contents, `${scenario}/${f.path} (UPDATE_GOLDEN=1 to refresh)`).toBe(readFileSync(p, 'utf8'));
  }
}
