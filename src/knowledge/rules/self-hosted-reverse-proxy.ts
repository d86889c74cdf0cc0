import type { Rule } from '../types.js';

export default {
  id: 'self-hosted-reverse-proxy',
  title: 'Traditional / self-hosted apps → reverse proxy',
  severity: 'preference',
  seed: true,
  rationale: 'On your own machines there is no managed load balancer: a reverse proxy terminates TLS, routes by path, balances across instances, caches and limits rates.',
  message: 'Self-hosted services: a reverse proxy terminates TLS, routes by path and balances across the instances.',
  sources: ['SEED', 'NGX-LB', 'HAP-CONF'],
  when: { fact: 'platform', op: 'eq', value: 'self-hosted' },
  effect: { prefer: { 'reverse-proxy': 20 } },
} satisfies Rule;
