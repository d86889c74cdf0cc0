import type { Command } from 'commander';
import type { CliIO } from '../io.js';

export function registerSchemaCommand(program: Command, io: CliIO): void {
  program
    .command('schema <name>')
    .description('print the JSON Schema of: answers, recommendation, spec (edge.yaml)')
    .option('--json', 'JSON output (the default; accepted for symmetry)')
    .action(async (name: string) => {
      const { jsonSchemaOf } = await import('../schemas.js');
      io.stdout.write(JSON.stringify(jsonSchemaOf(name), null, 2) + '\n');
    });
}
