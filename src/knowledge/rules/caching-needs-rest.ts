import type { Rule } from '../types.js';

export default {
  id: 'caching-needs-rest',
  title: 'Response caching in API Gateway → REST API',
  severity: 'constraint',
  rationale: 'HTTP and WebSocket APIs have no cache.',
  message: 'Only REST APIs have a response cache (per stage, 0.5–237 GB, TTL up to 3600 s); HTTP APIs would need CloudFront in front.',
  sources: ['AG-CACHE', 'AG-VS'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'caching', op: 'eq', value: true }] },
  effect: { api: { require: 'rest' } },
} satisfies Rule;
