import type { Rule } from '../types.js';

export default {
  id: 'quotas-need-keys',
  title: 'Usage plans meter API keys',
  severity: 'warning',
  phase: 'post',
  rationale: 'REST usage plans apply to API keys; a JWT alone does not identify a usage plan.',
  message: 'Usage plans meter API keys: issue clients an API key in addition to {auth}.',
  sources: ['AG-UP'],
  when: { all: [{ fact: 'quotas', op: 'eq', value: true }, { fact: 'auth', op: 'excludes', value: 'api-key' }, { fact: 'components', op: 'includes', value: 'apigw-rest' }] },
  effect: {},
} satisfies Rule;
