import type { Rule } from '../types.js';

export default {
  id: 'proxy-preference-on-aws',
  title: 'A proxy preference on AWS applies to local development',
  severity: 'warning',
  rationale: 'On AWS the managed services are the edge; a self-hosted proxy config is only useful locally or on EC2 behind them.',
  message: 'proxy: {proxy} applies to self-hosted and Kubernetes edges; on AWS the managed services above are the edge ({proxy} config can still be generated with --target {proxy}).',
  sources: ['BP-DEC'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'proxy', op: 'ne', value: 'auto' }] },
  effect: {},
} satisfies Rule;
