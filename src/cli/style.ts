// The only place colour is decided. chalk alone ignores NO_COLOR, so the level is set here from
// NO_COLOR, --no-color, FORCE_COLOR and whether the stream is a terminal.
import { Chalk, type ChalkInstance } from 'chalk';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  ok(s: string): string;
  warn(s: string): string;
  err(s: string): string;
  accent(s: string): string;
}

export function colourEnabled(argv: readonly string[], env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (argv.includes('--no-color')) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0';
  if (argv.includes('--color')) return true;
  return isTTY;
}

export function makeStyle(enabled: boolean): Style {
  const c: ChalkInstance = new Chalk({ level: enabled ? 1 : 0 });
  return {
    bold: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    ok: (s) => c.green(s),
    warn: (s) => c.yellow(s),
    err: (s) => c.red(s),
    accent: (s) => c.cyan(s),
  };
}

/** No colour: for tests and JSON. */
export const plain: Style = makeStyle(false);
