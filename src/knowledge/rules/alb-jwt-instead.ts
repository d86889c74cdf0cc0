import type { Rule } from '../types.js';

export default {
  id: 'alb-jwt-instead',
  title: 'JWT alone? The ALB can verify it',
  severity: 'warning',
  phase: 'post',
  rationale: 'Since 2025-11-21 ALB listeners verify JWTs (RS256, iss and exp mandatory); if that is the only API-level need, a direct ALB is cheaper.',
  message: 'If JWT checks are all you need from API Gateway, an ALB can verify RS256 tokens itself (since 2025-11-21): a direct-ALB topology would be cheaper.',
  sources: ['ALB-JWT'],
  when: { all: [{ fact: 'components', op: 'includes', value: 'alb' }, { fact: 'components', op: 'includesAny', value: ['apigw-http', 'apigw-rest'] }, { fact: 'auth', op: 'only', value: ['jwt'] }, { fact: 'rateLimit', op: 'eq', value: 'none' }, { fact: 'quotas', op: 'eq', value: false }, { fact: 'transforms', op: 'eq', value: false }] },
  effect: {},
} satisfies Rule;
