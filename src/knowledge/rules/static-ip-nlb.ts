import type { Rule } from '../types.js';

export default {
  id: 'static-ip-nlb',
  title: 'Static IPs → NLB (with an ALB target for layer 7)',
  severity: 'constraint',
  rationale: 'ALB, API Gateway and CloudFront expose DNS names whose IPs change; an NLB has one static IP per AZ (optionally Elastic IPs) and can forward to an ALB.',
  message: 'Fixed IPs to allow-list: ALB and API Gateway only have DNS names; an NLB has a static IP per AZ (Elastic IPs optional), with an ALB as its target for layer-7 routing.',
  sources: ['BP-DEC', 'BP-LB'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'staticIp', op: 'eq', value: true }] },
  effect: { exclude: ['apigw-lambda', 'alb-lambda', 'alb', 'apigw-alb', 'hybrid', 'cloudfront-alb'], prefer: { 'nlb-alb': 50 } },
} satisfies Rule;
