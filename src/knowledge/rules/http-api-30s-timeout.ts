import type { Rule } from '../types.js';

export default {
  id: 'http-api-30s-timeout',
  title: 'Requests over 30 s → not an HTTP API',
  severity: 'constraint',
  rationale: 'HTTP API integrations time out at 30 s, not adjustable.',
  message: 'Requests of up to {maxRequestSeconds} s: HTTP API integrations stop at 30 s (a hard limit).',
  sources: ['AG-HTTPQ'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'maxRequestSeconds', op: 'gt', value: 30 }] },
  effect: { api: { forbid: ['http'] } },
} satisfies Rule;
