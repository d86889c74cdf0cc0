import type { Rule } from '../types.js';

export default {
  id: 'alb-lambda-1mb',
  title: 'ALB Lambda targets cap bodies at 1 MB',
  severity: 'constraint',
  rationale: 'ALB Lambda targets accept request bodies and return responses of at most 1 MB.',
  message: 'ALB Lambda targets accept at most 1 MB request and response bodies.',
  sources: ['ALB-LAMBDA'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'computeId', op: 'eq', value: 'lambda' }, { fact: 'maxPayloadMb', op: 'gt', value: 1 }] },
  effect: { exclude: ['alb-lambda', 'nlb-alb'] },
} satisfies Rule;
