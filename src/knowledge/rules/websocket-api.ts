import type { Rule } from '../types.js';

export default {
  id: 'websocket-api',
  title: 'WebSocket through API Gateway uses a WebSocket API',
  severity: 'info',
  phase: 'post',
  rationale: 'REST and HTTP APIs do not upgrade connections; WebSocket APIs are a separate API type with their own routes and limits.',
  message: 'WebSocket clients use an API Gateway WebSocket API ($connect/$default/$disconnect routes); connections last at most 2 h and idle out after 10 min; private integrations go through a VPC link to an NLB.',
  sources: ['AG-WSQ', 'AG-WSAUTH', 'WP-WS'],
  when: { fact: 'components', op: 'includes', value: 'apigw-websocket' },
  effect: {},
} satisfies Rule;
