import type { Rule } from '../types.js';

export default {
  id: 'l4-needs-nlb',
  title: 'Raw TCP/UDP → NLB',
  severity: 'constraint',
  rationale: 'ALB, API Gateway and CloudFront only speak HTTP(S); layer-4 traffic needs a Network Load Balancer (TCP, UDP, TLS, QUIC listeners).',
  message: 'Raw TCP/UDP is layer 4: a Network Load Balancer carries it; ALB and API Gateway only speak HTTP.',
  sources: ['BP-DEC', 'NLB-LIS'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'servers', op: 'eq', value: true }, { fact: 'l4', op: 'eq', value: true }] },
  effect: { exclude: ['alb', 'apigw-alb', 'hybrid', 'cloudfront-alb', 'nlb-alb'], prefer: { nlb: 50 } },
} satisfies Rule;
