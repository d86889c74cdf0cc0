// The edgewise command line. `run` is pure plumbing around commander so tests can call it in-process;
// the bottom of this file is the process entry (bin/edgewise.js imports the bundle of it).
import { Command, CommanderError } from 'commander';
import { EwError, exitCodeOf } from '../errors.js';
import { cleanupStaging } from '../io/writer.js';
import { registerCompare } from './commands/compare.js';
import { registerExplain } from './commands/explain.js';
import { registerGenerate } from './commands/generate.js';
import { registerInit } from './commands/init.js';
import { registerRecommend } from './commands/recommend.js';
import { registerSchemaCommand } from './commands/schema.js';
import type { CliIO } from './io.js';
import { inquirerPrompter } from './prompter.js';
import { colourEnabled, makeStyle } from './style.js';
import { VERSION } from './version.js';

export function buildProgram(io: CliIO): Command {
  const program = new Command('edgewise')
    .description('API gateway, load balancer or reverse proxy? Recommends an edge topology with its reasons and generates a starter that runs.')
    .version(VERSION, '-V, --version')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: () => undefined, // errors are printed once, as one line, by run()
    });
  registerInit(program, io);
  registerRecommend(program, io);
  registerGenerate(program, io);
  registerCompare(program, io);
  registerExplain(program, io);
  registerSchemaCommand(program, io);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: () => undefined }).showSuggestionAfterError(true);
  return program;
}

function oneLine(s: string): string {
  return s.replace(/^error: /, '').split('\n').map((x) => x.trim()).filter(Boolean).join(' ');
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let args = [...argv];
  // `edgewise` alone is the wizard on a terminal; without one, it prints help.
  if (args.length === 0) args = io.stdinIsTTY && io.stdout.isTTY ? ['init'] : ['--help'];
  const program = buildProgram(io);
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      const hint = e.code === 'commander.unknownOption' || e.code === 'commander.unknownCommand' ? " (see 'edgewise --help' and 'edgewise <command> --help')" : '';
      io.stderr.write(`edgewise: ${oneLine(e.message)}${hint}\n`);
      return 2;
    }
    if (e instanceof EwError) {
      if (e.code === 'EW_CANCELLED') {
        io.stderr.write('edgewise: cancelled; nothing was written\n');
        return 130;
      }
      io.stderr.write(`edgewise: ${e.message}\n`);
      for (const d of e.details) io.stderr.write(`${d}\n`);
      return e.exitCode;
    }
    io.stderr.write(`edgewise: internal error (a bug — please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return exitCodeOf(e);
  }
}

export function processIO(): CliIO {
  const argv = process.argv.slice(2);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    env: process.env,
    cwd: process.cwd(),
    style: makeStyle(colourEnabled(argv, process.env, Boolean(process.stdout.isTTY))),
    prompter: inquirerPrompter,
  };
}

const isEntry = typeof process !== 'undefined' && process.env.EDGEWISE_NO_MAIN === undefined && import.meta.url.endsWith('/dist/cli.js');
if (isEntry) {
  const onSignal = (sig: NodeJS.Signals): void => {
    const wasWriting = cleanupStaging();
    process.stderr.write(`\nedgewise: cancelled${wasWriting ? '; nothing was written' : ''}\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  // `edgewise … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  run(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`edgewise: internal error: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
