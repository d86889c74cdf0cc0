import type { Rule } from '../types.js';

export default {
  id: 'apigw-cost-at-scale',
  title: 'API Gateway per-request cost at scale',
  severity: 'warning',
  phase: 'post',
  rationale: 'Above ~7 rps sustained (HTTP API) or ~2 rps (REST) an ALB is cheaper per request; at high rates the difference is 10–100×.',
  message: 'At {rps} requests/s sustained, API Gateway per-request pricing far exceeds an ALB hourly cost: keep API Gateway only for the features it adds (compare the cost section).',
  sources: ['WP-COST', 'AG-PRICE', 'ELB-PRICE'],
  when: { all: [{ fact: 'components', op: 'includesAny', value: ['apigw-rest', 'apigw-http'] }, { fact: 'rps', op: 'gt', value: 1000 }] },
  effect: {},
} satisfies Rule;
