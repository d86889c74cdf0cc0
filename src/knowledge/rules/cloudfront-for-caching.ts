import type { Rule } from '../types.js';

export default {
  id: 'cloudfront-for-caching',
  title: 'Edge caching without API management → CloudFront + ALB',
  severity: 'preference',
  rationale: 'ALBs do not cache; CloudFront with a VPC origin caches close to users and reaches a private ALB.',
  message: 'Edge caching without API management: CloudFront in front of a private ALB (VPC origin) caches close to users; ALBs do not cache.',
  sources: ['CF-VPCO', 'BP-INET'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'servers', op: 'eq', value: true }, { fact: 'caching', op: 'eq', value: true }, { fact: 'needsApiControl', op: 'eq', value: false }] },
  effect: { prefer: { 'cloudfront-alb': 30 } },
} satisfies Rule;
