import type { Rule } from '../types.js';

export default {
  id: 'lambda-off-aws',
  title: 'Lambda exists only on AWS',
  severity: 'warning',
  rationale: 'compute: lambda names an AWS service; elsewhere the same code runs as ordinary services.',
  message: 'compute: lambda only exists on AWS; on {platform} the functions run as ordinary services ({computeId}).',
  sources: ['LMB-INVOKE'],
  when: { all: [{ fact: 'platform', op: 'ne', value: 'aws' }, { fact: 'compute', op: 'eq', value: 'lambda' }] },
  effect: {},
} satisfies Rule;
