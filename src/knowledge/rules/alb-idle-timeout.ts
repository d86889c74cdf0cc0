import type { Rule } from '../types.js';

export default {
  id: 'alb-idle-timeout',
  title: 'Long requests outlast the ALB idle timeout',
  severity: 'warning',
  phase: 'post',
  rationale: 'The ALB closes connections idle for longer than its idle timeout (60 s by default).',
  message: 'Requests of {maxRequestSeconds} s outlast the ALB default idle timeout of 60 s: raise it on the load balancer.',
  sources: ['BP-LB'],
  when: { all: [{ fact: 'components', op: 'includes', value: 'alb' }, { fact: 'maxRequestSeconds', op: 'gt', value: 60 }] },
  effect: {},
} satisfies Rule;
