import type { Rule } from '../types.js';

export default {
  id: 'mtls-edge',
  title: 'Mutual TLS at the AWS edge',
  severity: 'info',
  rationale: 'ALB verifies client certificates (verify or passthrough, since 2023-11-26); REST/HTTP APIs need a Regional custom domain and an S3 truststore; NLB has verify mode.',
  message: 'mTLS: the ALB verifies client certificates (verify or passthrough mode, since 2023-11-26); REST and HTTP APIs need a Regional custom domain with an S3 truststore.',
  sources: ['ALB-MTLS', 'AG-MTLS', 'NLB-MTLS'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'auth', op: 'includes', value: 'mtls' }] },
  effect: {},
} satisfies Rule;
