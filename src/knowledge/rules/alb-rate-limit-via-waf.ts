import type { Rule } from '../types.js';

export default {
  id: 'alb-rate-limit-via-waf',
  title: 'ALB rate limiting = AWS WAF rate-based rule',
  severity: 'info',
  phase: 'post',
  rationale: 'The ALB has no throttling of its own; a WAF rate-based rule counts per IP or custom key over 60–600 s windows, approximately.',
  message: 'The ALB has no rate limiting of its own: an AWS WAF rate-based rule limits per IP or key (60–600 s windows, minimum 10 requests, approximate).',
  sources: ['WAF-RATE', 'WAF-RES'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'rateLimit', op: 'ne', value: 'none' }, { fact: 'components', op: 'includes', value: 'alb' }, { not: { fact: 'components', op: 'includesAny', value: ['apigw-rest', 'apigw-http'] } }] },
  effect: { addOns: ['waf'] },
} satisfies Rule;
