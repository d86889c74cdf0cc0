import type { Rule } from '../types.js';

export default {
  id: 'alb-lambda-high-rps',
  title: 'Lambda at high rps without API features → consider ALB',
  severity: 'warning',
  rationale: 'An ALB with Lambda targets costs a fraction of API Gateway per request when no API-level feature is needed.',
  message: 'At {rps} requests/s with no API-level needs, an ALB with Lambda targets costs a fraction of API Gateway per request (no API keys, usage plans or WebSocket then).',
  sources: ['WP-COST', 'ALB-LAMBDA'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'computeId', op: 'eq', value: 'lambda' }, { fact: 'needsApiControl', op: 'eq', value: false }, { fact: 'rps', op: 'gt', value: 1000 }] },
  effect: {},
} satisfies Rule;
