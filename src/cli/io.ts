// What a command may touch of the outside world; injected so tests can run commands in-process.
import type { Style } from './style.js';

export interface CliIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  stdinIsTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  style: Style;
  /** The wizard's prompter, created only when needed. */
  prompter?: () => Promise<import('./prompter.js').Prompter>;
}

export const printJson = (io: CliIO, value: unknown): void => {
  io.stdout.write(JSON.stringify(value, null, 2) + '\n');
};
