// The Recommendation (Contract v1) as a zod schema: the type the engine returns and the JSON Schema
// `edgewise schema recommendation` publishes.
import { z } from 'zod';
import { COMPONENT_IDS } from '../knowledge/types.js';
import type { Answers } from './answers.js';
import { answersSchema } from './answers-schema.js';

const componentId = z.enum(COMPONENT_IDS);
const ruleRef = z.object({ rule: z.string().describe('rule id (edgewise explain <id>)'), message: z.string() });

export const pathSchema = z.object({
  clients: z.array(z.enum(['public', 'partners', 'internal'])).min(1),
  protocols: z.array(z.enum(['http', 'websocket', 'grpc', 'tcp', 'udp'])).min(1).optional().describe('protocols this path carries'),
  hops: z.array(componentId).min(1).describe('from the client to the compute'),
});

export const recommendationSchema = z.object({
  schemaVersion: z.literal(1),
  knowledgeVersion: z.string(),
  answers: answersSchema,
  topology: z.object({
    id: z.string(),
    summary: z.string(),
    paths: z.array(pathSchema).min(1),
    components: z.array(componentId).min(1),
  }),
  reasons: z.array(ruleRef),
  warnings: z.array(ruleRef),
  alternatives: z.array(
    z.object({ id: z.string(), summary: z.string().optional(), components: z.array(componentId), rejectedBy: z.array(z.string()) }),
  ),
  whatIf: z.array(z.object({ change: z.record(z.string(), z.unknown()), topology: z.string(), components: z.array(componentId).optional() })),
  cost: z.object({
    monthlyUsd: z.number().nonnegative(),
    byComponent: z.record(z.string(), z.number().nonnegative()),
    pricesAsOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    assumptions: z.array(z.string()),
  }),
});

export type Recommendation = Omit<z.infer<typeof recommendationSchema>, 'answers'> & { answers: Answers };
export type Path = z.infer<typeof pathSchema>;
export type RuleRef = z.infer<typeof ruleRef>;
