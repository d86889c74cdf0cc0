import type { Rule } from '../types.js';

export default {
  id: 'http-api-default',
  title: 'No REST-only feature → HTTP API',
  severity: 'preference',
  rationale: 'HTTP APIs cost less ($1.00 vs $3.50 per million), have a native JWT authorizer and lower latency; REST APIs are for the features only they have.',
  message: 'No REST-only feature is needed, so the HTTP API fits: $1.00 per million requests against $3.50 for REST, with a native JWT authorizer.',
  sources: ['AG-VS', 'AG-PRICE'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'restOnly', op: 'eq', value: false }] },
  effect: { api: { require: 'http' } },
} satisfies Rule;
