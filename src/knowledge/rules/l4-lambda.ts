import type { Rule } from '../types.js';

export default {
  id: 'l4-lambda',
  title: 'Lambda cannot take raw TCP/UDP',
  severity: 'warning',
  rationale: 'Lambda receives HTTP-shaped events from API Gateway or ALB; there is no layer-4 Lambda trigger.',
  message: 'Lambda only receives HTTP-shaped events: raw TCP/UDP needs servers behind an NLB.',
  sources: ['NLB-LIS', 'ALB-LAMBDA'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'computeId', op: 'eq', value: 'lambda' }, { fact: 'l4', op: 'eq', value: true }] },
  effect: {},
} satisfies Rule;
