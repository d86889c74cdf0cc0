import type { Rule } from '../types.js';

export default {
  id: 'rate-limit-on-nlb',
  title: 'An NLB cannot rate-limit',
  severity: 'warning',
  phase: 'post',
  rationale: 'NLB works at layer 4 and cannot take a WAF rate-based rule.',
  message: 'Nothing in this topology rate-limits requests (an NLB cannot): enforce limits in the services or add an ALB with a WAF rate rule.',
  sources: ['WAF-RES', 'BP-LB'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'rateLimit', op: 'ne', value: 'none' }, { not: { fact: 'components', op: 'includesAny', value: ['alb', 'apigw-rest', 'apigw-http', 'apigw-websocket'] } }] },
  effect: {},
} satisfies Rule;
