import type { Rule } from '../types.js';

export default {
  id: 'waf-not-on-nlb',
  title: 'AWS WAF cannot attach to an NLB',
  severity: 'warning',
  phase: 'post',
  rationale: 'WAF protects CloudFront, REST APIs and ALBs only.',
  message: 'AWS WAF cannot attach to an NLB or to HTTP/WebSocket APIs: put CloudFront + WAF in front of HTTP traffic, or filter in the services.',
  sources: ['WAF-RES'],
  when: { all: [{ fact: 'waf', op: 'eq', value: true }, { fact: 'platform', op: 'eq', value: 'aws' }, { not: { fact: 'components', op: 'includesAny', value: ['apigw-rest', 'alb', 'cloudfront'] } }] },
  effect: {},
} satisfies Rule;
