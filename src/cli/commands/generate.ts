import { basename, resolve } from 'node:path';
import { readFileSync, lstatSync } from 'node:fs';
import type { Command } from 'commander';
import { EwError } from '../../errors.js';
import { normalise, type Answers } from '../../engine/answers.js';
import { recommend } from '../../engine/recommend.js';
import { KNOWLEDGE_VERSION } from '../../knowledge/version.js';
import type { PlannedFile } from '../../io/writer.js';
import type { EdgeSpec, TargetId } from '../../spec/schema.js';
import type { PlanContext } from '../../targets/types.js';
import { gatherAnswers } from '../inputs.js';
import { printJson, type CliIO } from '../io.js';
import { addAnswerOptions } from '../options.js';
import { VERSION } from '../version.js';

const TARGETS: readonly TargetId[] = ['nginx', 'haproxy', 'caddy', 'traefik', 'envoy', 'k8s', 'gateway'];
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

/** The target directory: relative or absolute, every segment plain (no `..`, `~`, control or shell characters). */
export function checkDir(dir: string): void {
  const bad = (why: string): never => {
    throw new EwError('EW_UNSAFE_PATH', `dir: ${JSON.stringify(dir)} ${why}; use letters, digits, ".", "_" and "-" in each path segment`);
  };
  if (dir.length === 0 || dir.length > 240) bad('is empty or too long');
  if (dir === '.') return;
  const segs = dir.split('/');
  segs.forEach((s, i) => {
    if (i === 0 && s === '' && segs.length > 1) return; // absolute path
    if (s === '..') bad('climbs out with ".."');
    if (s === '' || s === '.') {
      if (i === segs.length - 1 && s === '') return; // trailing slash
      bad('has an empty or "." segment');
    }
    if (!SEGMENT.test(s) || /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(s) || s.endsWith('.')) bad(`has an unsafe segment ${JSON.stringify(s)}`);
  });
}

/** A project name from a directory name: lowercase letters, digits and "-". */
export function nameFromDir(dir: string, cwd: string): string {
  const base = basename(resolve(cwd, dir)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
  return base.slice(0, 42).replace(/-+$/, '') || 'edge-starter';
}

/** Every generated file says how to regenerate it: from the project directory, from its edge.yaml. */
export const planContext = (): PlanContext => ({ version: VERSION, knowledgeVersion: KNOWLEDGE_VERSION, regenerate: 'edgewise generate --spec edge.yaml --force .' });

export interface GenerateOptions {
  spec?: string;
  target?: string;
  name?: string;
  dryRun?: boolean;
  check?: boolean;
  force?: boolean;
  json?: boolean;
  /** Print nothing (init prints its own JSON). */
  quiet?: boolean;
  [k: string]: unknown;
}

function parseTargets(raw: string | undefined): TargetId[] {
  if (!raw) return [];
  const list = raw.split(',').map((s) => s.trim());
  for (const t of list) {
    if (!(TARGETS as readonly string[]).includes(t)) throw new EwError('EW_INVALID_ANSWER', `--target: invalid value ${JSON.stringify(t)}; expected a list of ${TARGETS.join(', ')}`);
  }
  return list as TargetId[];
}

export async function buildSpec(io: CliIO, opts: GenerateOptions, dir: string, answers?: Answers): Promise<EdgeSpec> {
  const extra = parseTargets(opts.target);
  const { specSchema, NAME_RE } = await import('../../spec/schema.js');
  if (opts.spec) {
    const { loadSpec } = await import('../../spec/io.js');
    const spec = await loadSpec(resolve(io.cwd, opts.spec));
    const targets = [...new Set([...spec.targets, ...extra])];
    return specSchema.parse({ ...spec, targets });
  }
  const a = answers ?? normalise(await gatherAnswers(opts)).answers;
  const name = opts.name ?? nameFromDir(dir, io.cwd);
  if (!NAME_RE.test(name)) throw new EwError('EW_INVALID_ANSWER', `--name: invalid value ${JSON.stringify(name)}; expected lowercase letters, digits and "-" (start with a letter, at most 42 characters)`);
  const { deriveSpec } = await import('../../spec/derive.js');
  try {
    return deriveSpec(recommend(a), { name, targets: extra });
  } catch (e) {
    if (e instanceof Error && e.name === 'ZodError') throw new EwError('EW_INVALID_SPEC', `spec: ${e.message.split('\n')[0]}`, { cause: e });
    throw e;
  }
}

function drifted(files: readonly PlannedFile[], root: string): string[] {
  const out: string[] = [];
  for (const f of files) {
    const p = resolve(root, f.path);
    let text: string | undefined;
    try {
      if (lstatSync(p).isFile()) text = readFileSync(p, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== f.contents) out.push(`${text === undefined ? 'missing ' : 'changed '} ${f.path}`);
  }
  return out;
}

/** Plans and writes (or prints, or checks) a project. Shared by `generate` and `init`. */
export async function runGenerate(io: CliIO, dir: string, spec: EdgeSpec, opts: GenerateOptions, extraFiles: PlannedFile[] = []): Promise<PlannedFile[]> {
  checkDir(dir);
  const { planProject } = await import('../../generate/plan.js');
  const files = [...(await planProject(spec, planContext())), ...extraFiles].sort((a, b) => (a.path < b.path ? -1 : 1));
  const root = resolve(io.cwd, dir);
  if (opts.check) {
    const drift = drifted(files, root);
    if (opts.json) printJson(io, { drift: drift.map((d) => d.replace(/^\S+\s+/, '')), files: files.length });
    if (drift.length > 0) throw new EwError('EW_DRIFT', `${drift.length} of ${files.length} generated files differ from ${dir}`, { details: drift.map((d) => `  ${d}`) });
    if (!opts.json) io.stdout.write(`${files.length} files, no drift in ${dir}\n`);
    return files;
  }
  if (opts.dryRun) {
    if (opts.json) printJson(io, files.map((f) => ({ path: f.path, bytes: Buffer.byteLength(f.contents), target: f.target })));
    else {
      for (const f of files) io.stdout.write(`${f.path.padEnd(48)} ${String(Buffer.byteLength(f.contents)).padStart(7)} B  ${io.style.dim(f.target ?? '')}\n`);
      io.stdout.write(io.style.dim(`${files.length} files would be written to ${dir} (dry run: nothing written)\n`));
    }
    return files;
  }
  const { writePlan } = await import('../../io/writer.js');
  const delay = Number(io.env.EDGEWISE_TEST_WRITE_DELAY_MS ?? 0);
  const result = await writePlan(files, root, { force: Boolean(opts.force), requireEmpty: true, ...(delay > 0 ? { delayMs: delay } : {}) });
  if (opts.quiet) return files;
  if (opts.json) printJson(io, files.map((f) => ({ path: f.path, bytes: Buffer.byteLength(f.contents), target: f.target, written: result.written.includes(f.path) })));
  else {
    io.stdout.write(`${io.style.ok('✔')} ${result.written.length} files written to ${dir}${result.unchanged.length ? ` (${result.unchanged.length} unchanged)` : ''}\n\n`);
    io.stdout.write(`Next:\n  cd ${dir}\n  npm install\n  npm run dev\n`);
  }
  return files;
}

export function registerGenerate(program: Command, io: CliIO): void {
  addAnswerOptions(
    program
      .command('generate [dir]')
      .description('generate a runnable starter project from answers (flags / --answers) or an edited edge.yaml (--spec); never prompts')
      .option('--spec <file>', 'generate from an EdgeSpec (edge.yaml) instead of answers')
      .option('--target <list>', `add targets: ${TARGETS.join(',')}`)
      .option('--name <name>', 'project name (default: from the directory name)')
      .option('--dry-run', 'print the file plan; write nothing')
      .option('--check', 'compare what would be generated with the files on disk; exit 3 listing drift; write nothing')
      .option('--force', 'write into a non-empty directory, overwriting planned files (nothing else is touched)')
      .option('-y, --yes', 'accepted for scripts; generate never prompts')
      .option('--json', 'print the file plan as JSON'),
  ).action(async (dirArg: string | undefined, opts: GenerateOptions) => {
    const dir = dirArg ?? (opts.spec ? '.' : 'edgewise-starter');
    checkDir(dir);
    const spec = await buildSpec(io, opts, dir);
    await runGenerate(io, dir, spec, opts);
  });
}
