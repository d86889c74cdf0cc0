import type { Command } from 'commander';
import { printJson, type CliIO } from '../io.js';

export function registerCompare(program: Command, io: CliIO): void {
  program
    .command('compare')
    .description('the comparison table of API gateways, load balancers and reverse proxies, with sources and corrections to the seed table')
    .option('--json', 'print JSON')
    .option('--markdown', 'print a Markdown table')
    .action(async (opts: { json?: boolean; markdown?: boolean }) => {
      const { compareJson, compareMarkdown, compareText } = await import('../compare-format.js');
      if (opts.json) return printJson(io, compareJson());
      io.stdout.write(opts.markdown ? compareMarkdown() : compareText(io.style, {}));
    });
}
