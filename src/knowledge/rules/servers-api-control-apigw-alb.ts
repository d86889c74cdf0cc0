import type { Rule } from '../types.js';

export default {
  id: 'servers-api-control-apigw-alb',
  title: 'EC2/ECS backend + API-level control → API Gateway + ALB',
  severity: 'preference',
  seed: true,
  rationale: 'API Gateway handles authentication, throttling, quotas and transforms; the ALB behind a VPC link handles balancing and health checks across tasks or instances.',
  message: 'Containers or VMs that need API-level control (auth: {auth}; rate limit: {rateLimit}; quotas: {quotas}; transforms: {transforms}): API Gateway in front, a private ALB behind a VPC link.',
  sources: ['SEED', 'BP-INET', 'AG-PRIV'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'servers', op: 'eq', value: true }, { fact: 'needsApiControl', op: 'eq', value: true }] },
  effect: { prefer: { 'apigw-alb': 30, hybrid: 30 } },
} satisfies Rule;
