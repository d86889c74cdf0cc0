import type { Rule } from '../types.js';

export default {
  id: 'rest-timeout-above-29s',
  title: 'REST integrations over 29 s need a quota raise',
  severity: 'warning',
  phase: 'post',
  rationale: 'The 29 s REST default can be raised for Regional and private REST APIs only, possibly at the cost of account throttle; streaming responses may run up to 15 min.',
  message: 'REST integrations time out at 29 s by default; Regional and private REST APIs can raise it through Service Quotas (since 2024-06-04), possibly lowering the account throttle — edge-optimized APIs cannot. Response streaming allows up to 15 min.',
  sources: ['AG-TO-WN', 'AG-STREAM'],
  when: { all: [{ fact: 'components', op: 'includes', value: 'apigw-rest' }, { fact: 'maxRequestSeconds', op: 'gt', value: 29 }] },
  effect: {},
} satisfies Rule;
