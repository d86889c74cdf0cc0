import type { Rule } from '../types.js';

export default {
  id: 'api-keys-need-rest',
  title: 'API keys → REST API',
  severity: 'constraint',
  rationale: 'HTTP APIs have no API keys or usage plans.',
  message: 'API keys and usage plans exist only on REST APIs (HTTP APIs have none).',
  sources: ['AG-VS', 'AG-UP'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'auth', op: 'includes', value: 'api-key' }] },
  effect: { api: { require: 'rest' } },
} satisfies Rule;
