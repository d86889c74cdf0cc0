import type { Rule } from '../types.js';

export default {
  id: 'internal-direct-alb',
  title: 'Trusted or internal clients → direct ALB',
  severity: 'preference',
  seed: true,
  rationale: 'With no outside consumers to authenticate, meter or throttle per key, API Gateway costs per request and adds latency; an internal ALB can still verify JWTs and mTLS and take a WAF rate rule.',
  message: 'Only internal, trusted clients: expose an internal ALB directly; API Gateway would add cost and latency without a consumer to manage.',
  sources: ['SEED', 'BP-DEC', 'ALB-JWT'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'servers', op: 'eq', value: true }, { fact: 'internalOnly', op: 'eq', value: true }, { fact: 'needsApiGwOnly', op: 'eq', value: false }] },
  effect: { prefer: { alb: 45 } },
} satisfies Rule;
