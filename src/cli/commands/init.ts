import type { Command } from 'commander';
import { EwError } from '../../errors.js';
import { diffFromDefaults, normalise, type Answers, type AnswerKey } from '../../engine/answers.js';
import { recommend } from '../../engine/recommend.js';
import { KNOWLEDGE_VERSION } from '../../knowledge/version.js';
import { writePlan } from '../../io/writer.js';
import { buildSpec, checkDir, runGenerate } from './generate.js';
import { formatRecommendation } from '../format-recommendation.js';
import { gatherAnswers } from '../inputs.js';
import { loadYaml } from '../lazy.js';
import { printJson, type CliIO } from '../io.js';
import { addAnswerOptions, flagList } from '../options.js';
import { runWizard } from '../wizard.js';
import { VERSION } from '../version.js';

export const ANSWERS_FILE = 'edgewise.answers.yaml';

export async function answersFileText(answers: Answers): Promise<string> {
  const { stringify } = await loadYaml();
  const diff = diffFromDefaults(answers);
  const header = [
    `# edgewise answers — edgewise ${VERSION}, knowledge ${KNOWLEDGE_VERSION}`,
    '# Only answers that differ from the defaults are listed. Replay with:',
    `#   edgewise recommend --answers ${ANSWERS_FILE}`,
  ].join('\n');
  return `${header}\n${Object.keys(diff).length > 0 ? stringify(diff) : '{}\n'}`;
}

export function isInteractive(io: CliIO): boolean {
  const ci = io.env.CI;
  return io.stdinIsTTY && Boolean(io.stdout.isTTY) && (ci === undefined || ci === '' || ci === '0' || ci === 'false');
}

export interface InitOutcome {
  answers: Answers;
  assumed: AnswerKey[];
}

/** The shared front half of init: flags/file, then the wizard or --yes. */
export async function collectAnswers(io: CliIO, opts: Record<string, unknown>, command: string): Promise<InitOutcome> {
  const given = await gatherAnswers(opts);
  if (opts.yes) return normalise(given);
  if (!isInteractive(io) || !io.prompter) {
    throw new EwError('EW_NEEDS_TTY', `${command}: no terminal to ask questions on${io.env.CI ? ' (CI is set)' : ''}; pass --yes to accept the defaults for what you do not give, or answer with flags / --answers <file>`, {
      details: [`flags: ${flagList()}`],
    });
  }
  const { answers } = await runWizard(await io.prompter(), given);
  return { answers, assumed: [] };
}

export function registerInit(program: Command, io: CliIO): void {
  addAnswerOptions(
    program
      .command('init [dir]', { isDefault: false })
      .description('the wizard: asks what matters, recommends a topology, saves the answers (edgewise.answers.yaml)')
      .option('-y, --yes', 'accept defaults for everything not given; never prompt')
      .option('--force', 'write into a non-empty directory, overwriting planned files (nothing else is touched)')
      .option('--no-generate', `only save ${ANSWERS_FILE}; do not generate the starter`)
      .option('--target <list>', 'add generation targets (nginx,haproxy,caddy,traefik,envoy,k8s,gateway)')
      .option('--name <name>', 'project name (default: from the directory name)')
      .option('--json', 'print the recommendation as JSON'),
  ).action(async (dir: string | undefined, opts: Record<string, unknown>) => {
    const { answers, assumed } = await collectAnswers(io, opts, 'init');
    const rec = recommend(answers);
    if (opts.json) printJson(io, rec);
    else io.stdout.write(formatRecommendation(rec, io.style, assumed));
    const target = dir ?? '.';
    checkDir(target);
    const answersFile = { path: ANSWERS_FILE, contents: await answersFileText(answers), target: 'answers' };
    if (opts.generate === false) {
      await writePlan([answersFile], target, { force: Boolean(opts.force) });
      if (!opts.json) io.stderr.write(io.style.dim(`Saved ${target === '.' ? '' : target + '/'}${ANSWERS_FILE}. Replay: edgewise recommend --answers ${ANSWERS_FILE}\n`));
      return;
    }
    const spec = await buildSpec(io, opts, target, answers);
    if (!opts.yes && isInteractive(io) && io.prompter) {
      const ok = await (await io.prompter()).confirm({ id: 'generate', message: `Generate the ${spec.topology.id} starter into ${target}?`, default: true });
      if (!ok) {
        await writePlan([answersFile], target, { force: Boolean(opts.force) });
        io.stderr.write(io.style.dim(`Saved ${ANSWERS_FILE} only. Later: edgewise generate ${target} --answers ${target}/${ANSWERS_FILE}\n`));
        return;
      }
    }
    await runGenerate(io, target, spec, { ...opts, json: false, quiet: Boolean(opts.json) }, [answersFile]);
  });
}
