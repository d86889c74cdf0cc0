import type { Rule } from '../types.js';

export default {
  id: 'vpc-link-v2-alb',
  title: 'VPC link V2 reaches the private ALB directly',
  severity: 'info',
  phase: 'post',
  rationale: 'Since 2025-11-21 REST APIs use VPC link V2 to an ALB directly (HTTP APIs could before); the old NLB-in-front pattern is legacy.',
  message: 'A VPC link V2 connects API Gateway straight to the private ALB — REST APIs too since 2025-11-21 — so no NLB in between.',
  sources: ['AG-PRIV', 'AG-HIST', 'AG-HTTPPRIV'],
  when: { all: [{ fact: 'components', op: 'includes', value: 'vpc-link' }, { fact: 'components', op: 'includes', value: 'alb' }] },
  effect: {},
} satisfies Rule;
