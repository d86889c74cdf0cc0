import type { Rule } from '../types.js';

export default {
  id: 'waf-needs-rest',
  title: 'AWS WAF on API Gateway → REST API',
  severity: 'constraint',
  rationale: 'WAF cannot be associated with HTTP APIs.',
  message: 'AWS WAF attaches to REST APIs, ALBs and CloudFront — not to HTTP or WebSocket APIs.',
  sources: ['WAF-RES', 'AG-VS'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'waf', op: 'eq', value: true }] },
  effect: { api: { require: 'rest' } },
} satisfies Rule;
