// The answers as zod schemas, derived from the questions: published by `edgewise schema answers`
// and embedded in the recommendation schema. (Run-time validation is answers.ts#checkValue, kept
// free of zod for start-up time; a test checks the two agree.)
import { z } from 'zod';
import { QUESTIONS } from '../knowledge/questions.js';
import type { Question } from '../knowledge/types.js';
import { values } from './answers.js';

export function fieldSchema(q: Question): z.ZodType {
  switch (q.type) {
    case 'enum':
      return z.enum(values(q) as [string, ...string[]]);
    case 'list': {
      const item = z.enum(values(q) as [string, ...string[]]);
      const excl = q.exclusive ?? [];
      return z
        .array(item)
        .min(1)
        .refine((xs) => !xs.some((x) => excl.includes(x)) || xs.length === 1 || new Set(xs).size === 1, {
          message: `${excl.join(', ')} cannot be combined with other values`,
        });
    }
    case 'boolean':
      return z.boolean();
    case 'integer':
      return z.number().int().min(q.min ?? 0).max(q.max ?? Number.MAX_SAFE_INTEGER);
    case 'number': {
      let s = z.number();
      s = q.exclusiveMin ? s.gt(q.min ?? 0) : s.min(q.min ?? 0);
      return q.max === undefined ? s : s.max(q.max);
    }
  }
}

const describe = (q: Question): string => `${q.help} Default: ${JSON.stringify(q.default)}.`;

/** Every key optional: what an answers file or a set of flags may hold. */
export const answersInputSchema = z.strictObject(
  Object.fromEntries(QUESTIONS.map((q) => [q.id, fieldSchema(q).optional().describe(describe(q))])),
);

/** Every key present: the normalised answers echoed in `recommend --json`. */
export const answersSchema = z.strictObject(
  Object.fromEntries(QUESTIONS.map((q) => [q.id, fieldSchema(q).describe(describe(q))])),
);
