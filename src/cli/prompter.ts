// The prompter seam: the wizard talks to this interface. The inquirer adapter is loaded lazily (so
// non-interactive commands never pay for it); tests use the scripted prompter.
import { EwError } from '../errors.js';

export interface PromptChoice {
  value: string;
  name: string;
}

export interface Prompter {
  select(q: { id: string; message: string; choices: readonly PromptChoice[]; default: string }): Promise<string>;
  checkbox(q: { id: string; message: string; choices: readonly PromptChoice[]; default: readonly string[]; validate: (xs: readonly string[]) => true | string }): Promise<string[]>;
  confirm(q: { id: string; message: string; default: boolean }): Promise<boolean>;
  number(q: { id: string; message: string; default: number; validate: (n: number | undefined) => true | string }): Promise<number>;
}

/** inquirer behind the seam. Ctrl-C (ExitPromptError) becomes EW_CANCELLED → exit 130. */
export async function inquirerPrompter(): Promise<Prompter> {
  const p = await import('@inquirer/prompts');
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      if (e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError')) throw new EwError('EW_CANCELLED', 'cancelled', { cause: e });
      throw e;
    }
  };
  return {
    select: (q) => guard(() => p.select({ message: q.message, choices: q.choices.map((c) => ({ value: c.value, name: c.name })), default: q.default })),
    checkbox: (q) =>
      guard(() =>
        p.checkbox({
          message: q.message,
          choices: q.choices.map((c) => ({ value: c.value, name: c.name, checked: q.default.includes(c.value) })),
          validate: (xs) => q.validate(xs.map((x) => x.value)),
        }),
      ),
    confirm: (q) => guard(() => p.confirm({ message: q.message, default: q.default })),
    number: (q) => guard(async () => (await p.number({ message: q.message, default: q.default, step: 'any', validate: (n) => q.validate(n) })) ?? q.default),
  };
}

/** Answers questions from a script (by question id); throws on a question it was not given. */
export function scriptedPrompter(script: Readonly<Record<string, unknown>>, asked: string[] = []): Prompter {
  const take = (id: string): unknown => {
    asked.push(id);
    if (!(id in script)) throw new Error(`scripted prompter: no answer for ${id}`);
    const v = script[id];
    if (v instanceof Error) throw v;
    return v;
  };
  return {
    select: async (q) => take(q.id) as string,
    checkbox: async (q) => {
      const v = take(q.id) as string[];
      const ok = q.validate(v);
      if (ok !== true) throw new Error(`scripted prompter: ${ok}`);
      return v;
    },
    confirm: async (q) => take(q.id) as boolean,
    number: async (q) => {
      const v = take(q.id) as number;
      const ok = q.validate(v);
      if (ok !== true) throw new Error(`scripted prompter: ${ok}`);
      return v;
    },
  };
}
