// What-if: every single-answer change that would change the topology. Probes come from the
// questions (each other choice, each toggled list item, each flipped boolean) and, for numbers,
// from the thresholds the rules themselves compare against — so new rules bring their own probes.
import { QUESTIONS } from '../knowledge/questions.js';
import type { ComponentId, Question } from '../knowledge/types.js';
import type { Answers, AnswerKey } from './answers.js';
import { leaves } from './conditions.js';
import type { Knowledge } from './recommend.js';
import { choose } from './recommend.js';

type Value = Answers[AnswerKey];

function listProbes(q: Question, current: readonly string[]): string[][] {
  const out: string[][] = [];
  const order = (q.choices ?? []).map((c) => c.value);
  const sorted = (xs: string[]): string[] => [...new Set(xs)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  for (const v of order) {
    if (current.includes(v)) {
      if (current.length > 1) out.push(sorted(current.filter((x) => x !== v)));
    } else if (q.exclusive?.includes(v)) {
      out.push([v]);
    } else {
      out.push(sorted([...current.filter((x) => !q.exclusive?.includes(x)), v]));
    }
  }
  return out;
}

function numberProbes(q: Question, current: number, kb: Knowledge): number[] {
  const thresholds = new Set<number>();
  for (const r of kb.rules) {
    for (const l of leaves(r.when)) {
      if (l.fact === q.id && typeof l.value === 'number' && ['gt', 'gte', 'lt', 'lte'].includes(l.op)) thresholds.add(l.value);
    }
  }
  const ok = (n: number): boolean =>
    Number.isFinite(n) && (q.exclusiveMin ? n > (q.min ?? 0) : n >= (q.min ?? 0)) && (q.max === undefined || n <= q.max) && (q.type !== 'integer' || Number.isInteger(n));
  const out: number[] = [];
  for (const t of [...thresholds].sort((a, b) => a - b)) {
    const above = q.type === 'integer' ? Math.floor(t) + 1 : t >= 2 ? Math.floor(t) + 1 : t * 2;
    const below = q.type === 'integer' ? Math.ceil(t) - 1 : t >= 2 ? Math.ceil(t) - 1 : t / 2;
    for (const n of current > t ? [below, t] : [above, t]) if (ok(n) && n !== current && !out.includes(n)) out.push(n);
  }
  return out;
}

export function probes(q: Question, current: Value, kb: Knowledge): Value[] {
  switch (q.type) {
    case 'enum':
      return (q.choices ?? []).map((c) => c.value).filter((v) => v !== current) as Value[];
    case 'boolean':
      return [!current] as Value[];
    case 'list':
      return listProbes(q, current as string[]) as Value[];
    case 'integer':
    case 'number':
      return numberProbes(q, current as number, kb) as Value[];
  }
}

export function whatIf(answers: Answers, currentId: string, kb: Knowledge): { change: Record<string, unknown>; topology: string; components: ComponentId[] }[] {
  const out: { change: Record<string, unknown>; topology: string; components: ComponentId[] }[] = [];
  for (const q of QUESTIONS) {
    const key = q.id as AnswerKey;
    const seen = new Set<string>();
    for (const v of probes(q, answers[key], kb)) {
      const changed = { ...answers, [key]: v } as Answers;
      const { chosen } = choose(changed, kb);
      if (chosen.id === currentId || seen.has(chosen.id)) continue;
      seen.add(chosen.id);
      out.push({ change: { [key]: v }, topology: chosen.id, components: chosen.components });
    }
  }
  return out;
}
