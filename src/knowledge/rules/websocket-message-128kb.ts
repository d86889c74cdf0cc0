import type { Rule } from '../types.js';

export default {
  id: 'websocket-message-128kb',
  title: 'WebSocket API messages ≤ 128 KB',
  severity: 'warning',
  phase: 'post',
  rationale: 'WebSocket API messages are limited to 128 KB and frames to 32 KB; larger frames close the connection with 1009.',
  message: 'WebSocket API messages are limited to 128 KB (32 KB frames); bigger messages close the connection with code 1009.',
  sources: ['AG-WSQ'],
  when: { all: [{ fact: 'components', op: 'includes', value: 'apigw-websocket' }, { fact: 'maxPayloadMb', op: 'gt', value: 0.125 }] },
  effect: {},
} satisfies Rule;
