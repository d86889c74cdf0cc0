import type { Rule } from '../types.js';

export default {
  id: 'tls-passthrough-nlb',
  title: 'TLS passthrough → NLB TCP listener',
  severity: 'constraint',
  rationale: 'ALB, API Gateway and CloudFront terminate TLS; only an NLB TCP listener forwards the encrypted bytes untouched.',
  message: 'TLS passthrough: only an NLB TCP listener forwards encrypted bytes untouched; ALB, API Gateway and CloudFront terminate TLS.',
  sources: ['ALB-LIS', 'NLB-LIS'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'tls', op: 'eq', value: 'passthrough' }] },
  effect: { exclude: ['apigw-lambda', 'alb-lambda', 'alb', 'apigw-alb', 'hybrid', 'cloudfront-alb', 'nlb-alb'], prefer: { nlb: 50 } },
} satisfies Rule;
