import type { Rule } from '../types.js';

export default {
  id: 'apigw-timeout-ceiling',
  title: 'Requests over 300 s bypass API Gateway',
  severity: 'constraint',
  rationale: 'Even a raised REST integration timeout is reported to stop around 300 s; long requests belong on the load balancer or an asynchronous pattern.',
  message: 'Requests of {maxRequestSeconds} s exceed what an API Gateway integration allows even with a raised quota: keep them on the ALB or make them asynchronous.',
  sources: ['AG-TO-WN', 'RP-TO'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'servers', op: 'eq', value: true }, { fact: 'maxRequestSeconds', op: 'gt', value: 300 }] },
  effect: { exclude: ['apigw-alb', 'hybrid'] },
} satisfies Rule;
