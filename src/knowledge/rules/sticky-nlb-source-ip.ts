import type { Rule } from '../types.js';

export default {
  id: 'sticky-nlb-source-ip',
  title: 'NLB stickiness is source-IP affinity',
  severity: 'warning',
  phase: 'post',
  rationale: 'NLB target groups can only keep a client on a target by source IP (and QUIC connection IDs); clients behind one NAT all land on one target.',
  message: 'The NLB can only stick by source IP: clients behind one NAT share a target, and a target change loses the session. Keep session state in a store where you can.',
  sources: ['BP-LB', 'ALB-STICKY'],
  when: { all: [{ fact: 'stickySessions', op: 'eq', value: true }, { fact: 'components', op: 'includes', value: 'nlb' }, { fact: 'components', op: 'excludes', value: 'alb' }] },
  effect: {},
} satisfies Rule;
