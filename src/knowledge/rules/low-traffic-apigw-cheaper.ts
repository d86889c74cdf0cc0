import type { Rule } from '../types.js';

export default {
  id: 'low-traffic-apigw-cheaper',
  title: 'Low traffic: API Gateway + Lambda idles at ~$0',
  severity: 'info',
  phase: 'post',
  rationale: 'ALB and NLB cost at least ~$16/month each; below ~6–7 rps sustained the HTTP API is cheaper, and Lambda costs nothing when idle.',
  message: 'At {rps} requests/s, API Gateway costs less than a load balancer hourly floor (about $16/month) and Lambda idles at ~$0.',
  sources: ['WP-COST', 'ELB-PRICE'],
  when: { all: [{ fact: 'components', op: 'includesAny', value: ['apigw-rest', 'apigw-http', 'apigw-websocket'] }, { fact: 'computeId', op: 'eq', value: 'lambda' }, { fact: 'rps', op: 'lt', value: 6 }] },
  effect: {},
} satisfies Rule;
