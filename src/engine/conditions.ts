// A small synchronous evaluator for conditions as data (all / any / not over { fact, op, value }).
// It records which leaves decided, so every recommendation can say why a rule fired.
import type { Condition, Leaf } from '../knowledge/types.js';

export type FactValue = string | number | boolean | readonly string[] | undefined;
export type Facts = Readonly<Record<string, FactValue>>;

export interface Evaluation {
  result: boolean;
  /** Leaves that made the result true (for `all`: every leaf; for `any`: the first true branch). */
  decisive: Leaf[];
}

const asList = (v: Leaf['value']): readonly (string | number | boolean)[] => (Array.isArray(v) ? v : [v as string | number | boolean]);

export function evalLeaf(leaf: Leaf, facts: Facts): boolean {
  const f = facts[leaf.fact];
  const v = leaf.value;
  switch (leaf.op) {
    case 'eq':
      return f === v;
    case 'ne':
      return f !== v;
    case 'in':
      return asList(v).includes(f as string);
    case 'nin':
      return !asList(v).includes(f as string);
    case 'includes':
      return Array.isArray(f) && f.includes(v as string);
    case 'excludes':
      return !Array.isArray(f) || !f.includes(v as string);
    case 'includesAny':
      return Array.isArray(f) && asList(v).some((x) => f.includes(x as string));
    case 'only':
      return Array.isArray(f) && f.length > 0 && f.every((x) => asList(v).includes(x));
    case 'gt':
      return typeof f === 'number' && f > (v as number);
    case 'gte':
      return typeof f === 'number' && f >= (v as number);
    case 'lt':
      return typeof f === 'number' && f < (v as number);
    case 'lte':
      return typeof f === 'number' && f <= (v as number);
  }
}

export function evaluate(c: Condition, facts: Facts): Evaluation {
  if ('all' in c) {
    const decisive: Leaf[] = [];
    for (const sub of c.all) {
      const e = evaluate(sub, facts);
      if (!e.result) return { result: false, decisive: [] };
      decisive.push(...e.decisive);
    }
    return { result: true, decisive };
  }
  if ('any' in c) {
    for (const sub of c.any) {
      const e = evaluate(sub, facts);
      if (e.result) return e;
    }
    return { result: false, decisive: [] };
  }
  if ('not' in c) {
    const e = evaluate(c.not, facts);
    return { result: !e.result, decisive: [] };
  }
  const result = evalLeaf(c, facts);
  return { result, decisive: result ? [c] : [] };
}

/** Every leaf of a condition (for meta-tests and for deriving what-if probes). */
export function leaves(c: Condition): Leaf[] {
  if ('all' in c) return c.all.flatMap(leaves);
  if ('any' in c) return c.any.flatMap(leaves);
  if ('not' in c) return leaves(c.not);
  return [c];
}

type Predicate = (facts: Facts) => boolean;
const compiled = new WeakMap<object, Predicate>();

const FACT_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * A getter for one fact with the property name fixed at compile time: a named load stays fast on
 * the facts' fixed shape, where `f[fact]` with a varying key would go megamorphic (the what-if and
 * answer-space loops evaluate millions of leaves). Fact names come from the rule data, not input.
 */
function getter(fact: string): (f: Facts) => FactValue {
  if (!FACT_NAME.test(fact)) return (f) => f[fact];
  return new Function('f', `return f.${fact};`) as (f: Facts) => FactValue;
}

function compileLeaf(leaf: Leaf): Predicate {
  const get = getter(leaf.fact);
  const v = leaf.value;
  switch (leaf.op) {
    case 'eq':
      return (f) => get(f) === v;
    case 'ne':
      return (f) => get(f) !== v;
    case 'gt':
      return (f) => {
        const x = get(f);
        return typeof x === 'number' && x > (v as number);
      };
    case 'gte':
      return (f) => {
        const x = get(f);
        return typeof x === 'number' && x >= (v as number);
      };
    case 'lt':
      return (f) => {
        const x = get(f);
        return typeof x === 'number' && x < (v as number);
      };
    case 'lte':
      return (f) => {
        const x = get(f);
        return typeof x === 'number' && x <= (v as number);
      };
    case 'includes': {
      const x = v as string;
      return (f) => {
        const xs = get(f);
        return Array.isArray(xs) && xs.includes(x);
      };
    }
    default:
      // The rarer operators share the interpreter.
      return (f) => evalLeaf(leaf, f);
  }
}

/** The same semantics as evaluate(), compiled once per condition into a closure (the hot path). */
export function predicate(c: Condition): Predicate {
  let p = compiled.get(c);
  if (p) return p;
  if ('all' in c) {
    const subs = c.all.map(predicate);
    p = (f) => {
      for (const s of subs) if (!s(f)) return false;
      return true;
    };
  } else if ('any' in c) {
    const subs = c.any.map(predicate);
    p = (f) => {
      for (const s of subs) if (s(f)) return true;
      return false;
    };
  } else if ('not' in c) {
    const sub = predicate(c.not);
    p = (f) => !sub(f);
  } else {
    p = compileLeaf(c);
  }
  compiled.set(c, p);
  return p;
}
