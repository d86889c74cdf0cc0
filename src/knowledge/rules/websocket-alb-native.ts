import type { Rule } from '../types.js';

export default {
  id: 'websocket-alb-native',
  title: 'ALB proxies WebSockets natively',
  severity: 'info',
  phase: 'post',
  rationale: 'ALB listeners upgrade WebSocket connections on HTTP and HTTPS; quiet connections need a longer idle timeout.',
  message: 'The ALB proxies WebSocket upgrades natively; raise its idle timeout (60 s by default) for quiet connections.',
  sources: ['ALB-LIS', 'BP-LB'],
  when: { all: [{ fact: 'components', op: 'includes', value: 'alb' }, { fact: 'components', op: 'excludes', value: 'apigw-websocket' }, { fact: 'protocols', op: 'includes', value: 'websocket' }, { fact: 'computeId', op: 'ne', value: 'lambda' }] },
  effect: {},
} satisfies Rule;
