import type { Rule } from '../types.js';

export default {
  id: 'alb-jwt-verify',
  title: 'JWT at the ALB',
  severity: 'info',
  phase: 'post',
  rationale: 'ALB JWT verification: RS256 only, JWKS up to 150 KB and 10 keys, iss and exp required.',
  message: 'The ALB verifies the JWTs itself (RS256 only; iss and exp required; since 2025-11-21).',
  sources: ['ALB-JWT'],
  when: { all: [{ fact: 'components', op: 'includes', value: 'alb' }, { not: { fact: 'components', op: 'includesAny', value: ['apigw-http', 'apigw-rest'] } }, { fact: 'auth', op: 'includes', value: 'jwt' }] },
  effect: {},
} satisfies Rule;
