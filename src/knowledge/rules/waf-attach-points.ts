import type { Rule } from '../types.js';

export default {
  id: 'waf-attach-points',
  title: 'Attach AWS WAF to the first hop that takes it',
  severity: 'info',
  phase: 'post',
  rationale: 'AWS WAF attaches to CloudFront, REST APIs and ALBs.',
  message: 'AWS WAF is attached at the front door (CloudFront, REST API or ALB).',
  sources: ['WAF-RES'],
  when: { all: [{ fact: 'waf', op: 'eq', value: true }, { fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'components', op: 'includesAny', value: ['apigw-rest', 'alb', 'cloudfront'] }] },
  effect: { addOns: ['waf'] },
} satisfies Rule;
