import type { Rule } from '../types.js';

export default {
  id: 'per-client-throttle-needs-rest',
  title: 'Per-client throttling → REST API',
  severity: 'constraint',
  rationale: 'HTTP API throttling has no per-client dimension.',
  message: 'Per-client throttling is a REST usage-plan feature; HTTP APIs throttle only per stage and per route.',
  sources: ['AG-VS', 'AG-HTTPTHR'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'rateLimit', op: 'eq', value: 'per-client' }] },
  effect: { api: { require: 'rest' } },
} satisfies Rule;
