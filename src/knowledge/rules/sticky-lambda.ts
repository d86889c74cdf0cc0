import type { Rule } from '../types.js';

export default {
  id: 'sticky-lambda',
  title: 'Lambda is stateless',
  severity: 'warning',
  rationale: 'There is no instance to stick to: Lambda scales per request.',
  message: 'Lambda is stateless: keep session state in a store (DynamoDB, ElastiCache), not in sticky routing.',
  sources: ['ALB-LAMBDA', 'LENS-APIGW'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'computeId', op: 'eq', value: 'lambda' }, { fact: 'stickySessions', op: 'eq', value: true }] },
  effect: {},
} satisfies Rule;
