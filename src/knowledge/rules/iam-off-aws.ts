import type { Rule } from '../types.js';

export default {
  id: 'iam-off-aws',
  title: 'IAM auth exists only on AWS',
  severity: 'warning',
  rationale: 'SigV4 verification is done by AWS services.',
  message: 'IAM (SigV4) is AWS-only: use JWT or mTLS at a self-hosted or Kubernetes edge.',
  sources: ['AG-VS'],
  when: { all: [{ fact: 'platform', op: 'ne', value: 'aws' }, { fact: 'auth', op: 'includes', value: 'iam' }] },
  effect: {},
} satisfies Rule;
