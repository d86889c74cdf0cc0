// The only module that writes project files. Files are staged in a temp dir beside the target and
// then renamed into place: Ctrl-C or a crash leaves no half-written file. No symlink is followed,
// nothing lands outside the target, existing files are only replaced with `force`, and nothing
// that is not in the plan is ever deleted.
import { type Stats, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { EwError } from '../errors.js';

export interface PlannedFile {
  /** Relative, forward slashes. */
  path: string;
  contents: string;
  /** 0o644 unless executable. */
  mode?: number;
  /** The target (generator) that made it. */
  target?: string;
}

export interface WriteOptions {
  force?: boolean;
  /** Refuse a non-empty target directory (a new project); `force` lifts it. */
  requireEmpty?: boolean;
  /** Test seam: wait this many ms after staging each file (to test interruption). */
  delayMs?: number;
}

export interface WriteResult {
  dir: string;
  written: string[];
  unchanged: string[];
}

const SEGMENT = /^[A-Za-z0-9._@+-][A-Za-z0-9._@+ -]*$/;
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** Throws unless `p` is a safe relative path (no traversal, no absolute, no odd characters). */
export function assertSafeRelative(p: string): void {
  const bad = (why: string): never => {
    throw new EwError('EW_UNSAFE_PATH', `${JSON.stringify(p)}: unsafe file path (${why})`);
  };
  if (p.length === 0 || p.length > 240) bad('empty or too long');
  if (isAbsolute(p) || p.startsWith('/') || /^[A-Za-z]:/.test(p)) bad('absolute');
  if (p.includes('\\') || p.includes('\0')) bad('backslash or NUL');
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.' || seg === '..') bad('empty, . or .. segment');
    if (!SEGMENT.test(seg) || seg.endsWith(' ') || seg.endsWith('.') || RESERVED.test(seg)) bad(`segment ${JSON.stringify(seg)}`);
  }
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Checks every existing component from the target down to the file: none may be a symlink. */
function assertNoSymlinks(root: string, rel: string): void {
  let cur = root;
  for (const seg of rel.split('/')) {
    cur = join(cur, seg);
    const st = lstatOrNull(cur);
    if (st === null) return;
    if (st.isSymbolicLink()) throw new EwError('EW_UNSAFE_PATH', `${cur}: is a symbolic link; edgewise never writes through links`);
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => (ms > 0 ? setTimeout(r, ms) : setImmediate(r)));

const staged = new Set<string>();
/**
 * Removes the staging dirs of interrupted writes (called by the CLI's signal handler). Returns true
 * when a write was in progress, so nothing of it reached the target.
 */
export function cleanupStaging(): boolean {
  const had = staged.size > 0;
  for (const dir of staged) rmSync(dir, { recursive: true, force: true });
  staged.clear();
  return had;
}

/** What would conflict: planned files that exist with other contents. */
export function conflicts(files: readonly PlannedFile[], dir: string): string[] {
  const root = resolve(dir);
  return files
    .filter((f) => {
      const p = join(root, f.path);
      const st = lstatOrNull(p);
      if (st === null) return false;
      if (!st.isFile()) return true;
      return readFileSync(p, 'utf8') !== f.contents;
    })
    .map((f) => f.path);
}

/**
 * Stages every file (yielding between files, so a signal can interrupt and clean up), then moves them
 * into place in one synchronous step.
 */
export async function writePlan(files: readonly PlannedFile[], dir: string, opts: WriteOptions = {}): Promise<WriteResult> {
  const root = resolve(dir);
  const seen = new Set<string>();
  for (const f of files) {
    assertSafeRelative(f.path);
    if (seen.has(f.path)) throw new EwError('EW_INTERNAL', `file planned twice: ${f.path}`);
    seen.add(f.path);
    if (!resolve(root, f.path).startsWith(root + sep)) throw new EwError('EW_UNSAFE_PATH', `${f.path}: outside the target`);
  }

  const rootStat = lstatOrNull(root);
  if (rootStat?.isSymbolicLink()) throw new EwError('EW_UNSAFE_PATH', `${dir}: the target is a symbolic link; edgewise never writes through links`);
  if (rootStat && !rootStat.isDirectory()) throw new EwError('EW_TARGET_EXISTS', `${dir}: exists and is not a directory`);
  if (rootStat) {
    for (const f of files) assertNoSymlinks(root, f.path);
    const clashing = conflicts(files, root);
    const entries = readdirSync(root).filter((e) => e !== '.git');
    if (!opts.force && opts.requireEmpty && entries.length > 0) {
      const list = clashing.length > 0 ? clashing : entries.sort();
      throw new EwError('EW_TARGET_EXISTS', `${dir}: directory is not empty; use --force to write the planned files beside what is there (nothing else is deleted)`, {
        details: [clashing.length > 0 ? 'conflicting files:' : 'existing entries:', ...list.slice(0, 50).map((x) => `  ${x}`), ...(list.length > 50 ? [`  … and ${list.length - 50} more`] : [])],
      });
    }
    if (!opts.force && clashing.length > 0) {
      throw new EwError('EW_TARGET_EXISTS', `${dir}: ${clashing.length} file(s) would be overwritten; use --force`, { details: clashing.map((x) => `  ${x}`) });
    }
  }

  const parent = dirname(root);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, '.edgewise-tmp-'));
  staged.add(staging);
  const written: string[] = [];
  const unchanged: string[] = [];
  try {
    for (const f of files) {
      const existing = rootStat ? lstatOrNull(join(root, f.path)) : null;
      if (existing?.isFile() && readFileSync(join(root, f.path), 'utf8') === f.contents) {
        unchanged.push(f.path);
        continue;
      }
      const p = join(staging, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.contents, { flag: 'wx', mode: f.mode ?? 0o644 });
      chmodSync(p, f.mode ?? 0o644);
      written.push(f.path);
      await pause(opts.delayMs ?? 0);
      if (!staged.has(staging)) throw new EwError('EW_CANCELLED', 'cancelled');
    }
    if (!rootStat) {
      renameSync(staging, root);
    } else {
      for (const rel of written) {
        const dest = join(root, rel);
        assertNoSymlinks(root, rel);
        mkdirSync(dirname(dest), { recursive: true });
        renameSync(join(staging, rel), dest);
      }
      rmSync(staging, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  } finally {
    staged.delete(staging);
  }
  return { dir: root, written, unchanged };
}
