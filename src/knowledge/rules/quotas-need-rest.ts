import type { Rule } from '../types.js';

export default {
  id: 'quotas-need-rest',
  title: 'Usage quotas → REST API usage plans',
  severity: 'constraint',
  rationale: 'Only REST APIs have usage plans with quotas.',
  message: 'Per-client quotas are REST API usage plans (keyed by API key; best-effort, not hard limits).',
  sources: ['AG-UP', 'AG-VS'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'quotas', op: 'eq', value: true }] },
  effect: { api: { require: 'rest' } },
} satisfies Rule;
