import type { Rule } from '../types.js';

export default {
  id: 'vpc-link-idle',
  title: 'Idle VPC links go inactive',
  severity: 'warning',
  phase: 'post',
  rationale: 'A VPC link V2 unused for 60 days becomes INACTIVE and takes minutes to come back.',
  message: 'A VPC link V2 with no traffic for 60 days goes INACTIVE (minutes to reprovision); links are immutable once created.',
  sources: ['AG-VPCLV2'],
  when: { fact: 'components', op: 'includes', value: 'vpc-link' },
  effect: {},
} satisfies Rule;
