import type { Rule } from '../types.js';

export default {
  id: 'servers-alb-only',
  title: 'EC2/ECS backend without API-level needs → ALB only',
  severity: 'preference',
  seed: true,
  rationale: 'Without authentication, throttling or transforms at the edge, API Gateway only adds per-request cost and a 10 MB / 29–30 s envelope; the ALB already balances, health-checks and routes by path.',
  message: 'Containers or VMs with no API-level needs at the edge: an ALB alone balances, health-checks and routes by path.',
  sources: ['SEED', 'BP-DEC', 'ELB-FEAT'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'servers', op: 'eq', value: true }, { fact: 'needsApiControl', op: 'eq', value: false }] },
  effect: { prefer: { alb: 20 } },
} satisfies Rule;
