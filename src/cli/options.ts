// Every question is also a flag (Contract v1). Built from the question data.
import { Command, Option } from 'commander';
import { EwError } from '../errors.js';
import { QUESTIONS } from '../knowledge/questions.js';
import { parseFlagValue } from './inputs.js';

export function addAnswerOptions(cmd: Command): Command {
  cmd.option('--answers <file>', 'answers file (YAML or JSON); flags override it');
  for (const q of QUESTIONS) {
    if (q.type === 'boolean') {
      cmd.addOption(new Option(q.flag, q.prompt));
      cmd.addOption(new Option(`--no-${q.flag.slice(2)}`, `answer no to ${q.flag}`));
      continue;
    }
    const choices = q.choices?.map((c) => c.value).join('|');
    const placeholder = q.type === 'list' ? `<${choices?.replaceAll('|', ',')}>` : q.type === 'enum' ? `<${choices}>` : '<n>';
    cmd.addOption(
      new Option(`${q.flag} ${placeholder}`, `${q.prompt} (default: ${JSON.stringify(q.default)})`).argParser((raw: string, prev: unknown) => {
        const v = parseFlagValue(q, raw);
        if (prev !== undefined && JSON.stringify(prev) !== JSON.stringify(v)) {
          throw new EwError('EW_USAGE', `${q.flag}: given twice with different values (${JSON.stringify(prev)} and ${JSON.stringify(v)})`);
        }
        return v;
      }),
    );
  }
  return cmd;
}

/** The flags to pass when there is no terminal to ask on. */
export function flagList(): string {
  return QUESTIONS.map((q) =>
    q.type === 'boolean'
      ? `${q.flag}|--no-${q.flag.slice(2)}`
      : `${q.flag} <${q.type === 'list' ? 'list of ' : ''}${q.choices ? q.choices.map((c) => c.value).join('|') : 'n'}>`,
  ).join(' ');
}
