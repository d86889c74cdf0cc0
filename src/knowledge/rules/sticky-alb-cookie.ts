import type { Rule } from '../types.js';

export default {
  id: 'sticky-alb-cookie',
  title: 'Sticky sessions → ALB cookies',
  severity: 'preference',
  rationale: 'ALB target groups keep a client on one target with a duration-based or application cookie; an NLB only offers source-IP affinity.',
  message: 'Sticky sessions: the ALB keeps a client on one target with a duration-based or application cookie; an NLB only has source-IP affinity.',
  sources: ['ALB-STICKY', 'BP-LB'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'servers', op: 'eq', value: true }, { fact: 'stickySessions', op: 'eq', value: true }] },
  effect: { prefer: { alb: 1, 'apigw-alb': 1, hybrid: 1, 'cloudfront-alb': 1, 'nlb-alb': 1, nlb: -5 } },
} satisfies Rule;
