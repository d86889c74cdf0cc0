// Specs for target tests: named scenarios (golden files use their default ports) and specs with
// random free loopback ports for end-to-end runs.
import type { Answers } from '../../src/engine/answers.js';
import { recommend } from '../../src/engine/recommend.js';
import { KNOWLEDGE_VERSION } from '../../src/knowledge/version.js';
import { deriveSpec } from '../../src/spec/derive.js';
import { specSchema, type EdgeSpec, type TargetId } from '../../src/spec/schema.js';
import type { PlanContext } from '../../src/targets/types.js';
import { answersOf } from '../helpers.js';
import { freePortRange } from './net.js';

export const CTX: PlanContext = { version: '0.1.0', knowledgeVersion: KNOWLEDGE_VERSION, regenerate: 'edgewise generate --spec edge.yaml' };

/** Scenarios shared by every target's golden files. */
export const SCENARIOS: Record<string, Partial<Answers>> = {
  'self-hosted-basic': { platform: 'self-hosted', compute: 'vms', services: 2 },
  'self-hosted-full': { platform: 'self-hosted', compute: 'containers', services: 3, protocols: ['http', 'websocket', 'grpc'], auth: ['jwt'], rateLimit: 'per-client', caching: true, stickySessions: true, maxPayloadMb: 5, maxRequestSeconds: 60 },
  'self-hosted-single': { platform: 'self-hosted', compute: 'vms', services: 1, instances: 'single', rateLimit: 'global', caching: true },
  kubernetes: { platform: 'kubernetes', services: 2, protocols: ['http', 'grpc'], rateLimit: 'global' },
  'aws-containers-jwt': { platform: 'aws', compute: 'containers', services: 2, auth: ['jwt'], rateLimit: 'global' },
  'aws-lambda': { platform: 'aws', compute: 'lambda', services: 2, auth: ['api-key'], quotas: true },
};

export function specOf(answers: Partial<Answers>, opts: { name?: string; targets?: TargetId[] } = {}): EdgeSpec {
  const rec = recommend(answersOf(answers as Record<string, unknown>), undefined, { whatIf: false });
  return deriveSpec(rec, { name: opts.name ?? 'demo', ...(opts.targets ? { targets: opts.targets } : {}) });
}

export const scenarioSpec = (name: string, targets?: TargetId[]): EdgeSpec => {
  const a = SCENARIOS[name];
  if (!a) throw new Error(`no scenario ${name}`);
  return specOf(a, { name, ...(targets ? { targets } : {}) });
};

/**
 * The same spec on random free loopback ports, with `tweak` applied (e.g. a small rate limit for a
 * 429 test), re-validated by the schema.
 */
export async function withRandomPorts(spec: EdgeSpec, tweak: (s: EdgeSpec) => void = () => undefined): Promise<EdgeSpec> {
  const s = structuredClone(spec);
  const taken = new Set<number>();
  s.listen.httpPort = await freePortRange(1, taken);
  s.listen.httpsPort = await freePortRange(1, taken);
  s.gateway.port = await freePortRange(s.gateway.replicas, taken);
  s.gateway.adminPort = await freePortRange(s.gateway.replicas, taken);
  for (const svc of s.services) svc.port = await freePortRange(svc.instances, taken);
  tweak(s);
  return specSchema.parse(s);
}
