import type { Rule } from '../types.js';

export default {
  id: 'clb-legacy',
  title: 'Classic Load Balancer is previous generation',
  severity: 'constraint',
  rationale: 'AWS labels CLB previous generation and publishes migrations to ALB (HTTP) and NLB (TCP); it lacks path routing, gRPC, WAF, Lambda targets and mTLS.',
  message: 'The Classic Load Balancer is previous generation: AWS migrates HTTP workloads to ALB and TCP workloads to NLB.',
  sources: ['CLB-MIG'],
  when: { fact: 'platform', op: 'eq', value: 'aws' },
  effect: { exclude: ['clb'] },
} satisfies Rule;
