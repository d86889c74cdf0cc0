import type { Rule } from '../types.js';

export default {
  id: 'iam-needs-apigw',
  title: 'IAM (SigV4) auth → API Gateway',
  severity: 'preference',
  rationale: 'Only API Gateway checks AWS SigV4 signatures; ALB and NLB cannot.',
  message: 'IAM (SigV4) authorization is an API Gateway feature; ALB and NLB cannot check AWS signatures.',
  sources: ['AG-VS'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'servers', op: 'eq', value: true }, { fact: 'auth', op: 'includes', value: 'iam' }] },
  effect: { prefer: { 'apigw-alb': 10, hybrid: 10 } },
} satisfies Rule;
