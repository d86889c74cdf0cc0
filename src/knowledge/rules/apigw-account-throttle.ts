import type { Rule } from '../types.js';

export default {
  id: 'apigw-account-throttle',
  title: 'Over 10,000 rps → API Gateway quota increase',
  severity: 'warning',
  phase: 'post',
  rationale: 'The default account throttle is 10,000 rps steady with a 5,000 burst per Region, shared by every API.',
  message: '{rps} requests/s exceeds the API Gateway default account throttle of 10,000 rps (burst 5,000) per Region, shared by all your APIs: request a quota increase.',
  sources: ['AG-LIM'],
  when: { all: [{ fact: 'components', op: 'includesAny', value: ['apigw-rest', 'apigw-http', 'apigw-websocket'] }, { fact: 'rps', op: 'gt', value: 10000 }] },
  effect: {},
} satisfies Rule;
