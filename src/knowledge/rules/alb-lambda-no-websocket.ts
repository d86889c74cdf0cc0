import type { Rule } from '../types.js';

export default {
  id: 'alb-lambda-no-websocket',
  title: 'ALB Lambda targets have no WebSockets',
  severity: 'constraint',
  rationale: 'An ALB cannot hold a WebSocket connection to a Lambda target.',
  message: 'ALB Lambda targets do not support WebSockets.',
  sources: ['ALB-LAMBDA'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'computeId', op: 'eq', value: 'lambda' }, { fact: 'protocols', op: 'includes', value: 'websocket' }] },
  effect: { exclude: ['alb-lambda', 'nlb-alb'] },
} satisfies Rule;
