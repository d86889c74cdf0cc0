import type { Rule } from '../types.js';

export default {
  id: 'single-instance',
  title: 'One instance is no redundancy',
  severity: 'warning',
  rationale: 'With one instance per service a health check can only take it out of rotation; nothing can fail over.',
  message: 'One instance per service: health checks can only take it out, not fail over — run at least two for availability.',
  sources: ['ELB-FEAT', 'NGX-LB'],
  when: { all: [{ fact: 'instances', op: 'eq', value: 'single' }, { fact: 'computeId', op: 'ne', value: 'lambda' }] },
  effect: {},
} satisfies Rule;
