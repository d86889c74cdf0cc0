import type { Command } from 'commander';
import { normalise } from '../../engine/answers.js';
import { recommend } from '../../engine/recommend.js';
import { formatRecommendation } from '../format-recommendation.js';
import { gatherAnswers } from '../inputs.js';
import { printJson, type CliIO } from '../io.js';
import { addAnswerOptions } from '../options.js';

export function registerRecommend(program: Command, io: CliIO): void {
  addAnswerOptions(
    program
      .command('recommend')
      .description('recommend an edge topology from flags or an answers file (never prompts, never writes files)')
      .option('--json', 'print exactly one JSON document (Contract v1)'),
  ).action(async (opts: Record<string, unknown>) => {
    const { answers, assumed } = normalise(await gatherAnswers(opts));
    const rec = recommend(answers);
    if (opts.json) printJson(io, rec);
    else io.stdout.write(formatRecommendation(rec, io.style, assumed));
  });
}
