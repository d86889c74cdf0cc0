import type { Rule } from '../types.js';

export default {
  id: 'lambda-payload-6mb',
  title: 'Lambda payloads over 6 MB → S3',
  severity: 'warning',
  rationale: 'A buffered Lambda invocation carries at most 6 MB, below API Gateway 10 MB.',
  message: 'Lambda buffered invocations carry at most 6 MB (less than API Gateway 10 MB): move bodies of {maxPayloadMb} MB through S3 pre-signed URLs.',
  sources: ['LMB-INVOKE', 'AG-HTTPQ'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'computeId', op: 'eq', value: 'lambda' }, { fact: 'maxPayloadMb', op: 'gt', value: 6 }] },
  effect: {},
} satisfies Rule;
