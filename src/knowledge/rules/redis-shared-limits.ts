import type { Rule } from '../types.js';

export default {
  id: 'redis-shared-limits',
  title: 'Gateway replicas share limits in Redis',
  severity: 'info',
  phase: 'post',
  rationale: 'Rate limits and quotas kept in one gateway process are per replica; several replicas need a shared counter store.',
  message: 'Run two or more gateway replicas for availability: they share rate-limit and quota counters in Redis so limits hold across replicas.',
  sources: ['EDGEWISE-GW'],
  when: { all: [{ fact: 'components', op: 'includes', value: 'ts-gateway' }, { fact: 'instances', op: 'eq', value: 'multiple' }, { any: [{ fact: 'rateLimit', op: 'ne', value: 'none' }, { fact: 'quotas', op: 'eq', value: true }] }] },
  effect: { addOns: ['redis'] },
} satisfies Rule;
