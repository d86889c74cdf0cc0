// JSON Schemas of every input and output, from their zod schemas. Loaded only by `edgewise schema`
// (zod is kept off the start-up path of the other commands).
import { z } from 'zod';
import { EwError } from '../errors.js';
import { answersInputSchema } from '../engine/answers-schema.js';
import { recommendationSchema } from '../engine/recommendation.js';
import { specSchema } from '../spec/schema.js';

const SCHEMAS: Record<string, () => z.ZodType> = {
  answers: () => answersInputSchema,
  recommendation: () => recommendationSchema,
  spec: () => specSchema,
};

export const SCHEMA_NAMES = Object.keys(SCHEMAS);

export function jsonSchemaOf(name: string): Record<string, unknown> {
  const get = SCHEMAS[name];
  if (!get) throw new EwError('EW_USAGE', `schema: unknown schema ${JSON.stringify(name)}; expected one of ${Object.keys(SCHEMAS).join(', ')}`);
  const js = z.toJSONSchema(get(), { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  return { $id: `https://edgewise.dev/schema/v1/${name}.json`, title: `edgewise ${name}`, ...js };
}
