import type { Rule } from '../types.js';

export default {
  id: 'apigw-payload-10mb',
  title: 'Bodies over 10 MB → not through API Gateway',
  severity: 'constraint',
  rationale: 'API Gateway REST and HTTP APIs cap payloads at 10 MB; the ALB has no such cap.',
  message: 'Bodies of {maxPayloadMb} MB exceed the API Gateway payload limit of 10 MB: keep them on the ALB, or upload to S3 with pre-signed URLs.',
  sources: ['AG-HTTPQ', 'AG-RESTQ'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'servers', op: 'eq', value: true }, { fact: 'maxPayloadMb', op: 'gt', value: 10 }] },
  effect: { exclude: ['apigw-alb', 'hybrid'] },
} satisfies Rule;
