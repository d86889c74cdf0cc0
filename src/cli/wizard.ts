// The init wizard: asks only the questions that matter for the answers so far (askIf), through
// the prompter seam. Keys already given (flags, answers file) are not asked again.
import { evaluate } from '../engine/conditions.js';
import { toFacts } from '../engine/facts.js';
import { normalise, validateAnswers, allowedText, type Answers, type AnswerKey } from '../engine/answers.js';
import { QUESTIONS } from '../knowledge/questions.js';
import type { Question } from '../knowledge/types.js';
import type { Prompter } from './prompter.js';

function numberValidator(q: Question): (n: number | undefined) => true | string {
  return (n) => {
    if (n === undefined || Number.isNaN(n)) return `Enter ${allowedText(q)}.`;
    try {
      validateAnswers({ [q.id]: n });
      return true;
    } catch {
      return `Enter ${allowedText(q)}.`;
    }
  };
}

async function ask(p: Prompter, q: Question, def: unknown): Promise<unknown> {
  const choices = (q.choices ?? []).map((c) => ({ value: c.value, name: c.label }));
  const message = q.prompt;
  switch (q.type) {
    case 'enum':
      return p.select({ id: q.id, message, choices, default: def as string });
    case 'list':
      return p.checkbox({
        id: q.id,
        message,
        choices,
        default: def as string[],
        validate: (xs) => {
          try {
            validateAnswers({ [q.id]: [...xs] });
            return true;
          } catch {
            return `Choose ${allowedText(q)}.`;
          }
        },
      });
    case 'boolean':
      return p.confirm({ id: q.id, message, default: def as boolean });
    case 'integer':
    case 'number':
      return p.number({ id: q.id, message, default: def as number, validate: numberValidator(q) });
  }
}

export interface WizardResult {
  answers: Answers;
  asked: AnswerKey[];
}

export async function runWizard(prompter: Prompter, given: Partial<Answers>): Promise<WizardResult> {
  const current: Partial<Answers> = { ...given };
  const asked: AnswerKey[] = [];
  for (const q of QUESTIONS) {
    const key = q.id as AnswerKey;
    if (current[key] !== undefined) continue;
    const sofar = normalise(current).answers;
    if (q.askIf && !evaluate(q.askIf, toFacts(sofar)).result) continue;
    const value = await ask(prompter, q, sofar[key]);
    Object.assign(current, validateAnswers({ [key]: value }));
    asked.push(key);
  }
  return { answers: normalise(current).answers, asked };
}
