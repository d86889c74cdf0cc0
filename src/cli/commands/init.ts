import type { Command } from 'commander';
import { EwError } from '../../errors.js';
import { diffFromDefaults, normalise, type Answers, type AnswerKey } from '../../engine/answers.js';
import { recommend } from '../../engine/recommend.js';
import { KNOWLEDGE_VERSION } from '../../knowledge/version.js';
import { writePlan } from '../../io/writer.js';
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
      .option('--force', `overwrite an existing ${ANSWERS_FILE}`)
      .option('--json', 'print the recommendation as JSON'),
  ).action(async (dir: string | undefined, opts: Record<string, unknown>) => {
    const { answers, assumed } = await collectAnswers(io, opts, 'init');
    const rec = recommend(answers);
    if (opts.json) printJson(io, rec);
    else io.stdout.write(formatRecommendation(rec, io.style, assumed));
    const target = dir ?? '.';
    writePlan([{ path: ANSWERS_FILE, contents: await answersFileText(answers), target: 'answers' }], target, { force: Boolean(opts.force) });
    if (!opts.json) io.stderr.write(io.style.dim(`Saved ${target === '.' ? '' : target + '/'}${ANSWERS_FILE}. Replay: edgewise recommend --answers ${ANSWERS_FILE}\n`));
  });
}
