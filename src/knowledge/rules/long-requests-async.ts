import type { Rule } from '../types.js';

export default {
  id: 'long-requests-async',
  title: 'Serverless requests over 300 s → asynchronous',
  severity: 'warning',
  rationale: 'A synchronous API Gateway → Lambda request cannot wait that long.',
  message: 'Requests of {maxRequestSeconds} s are too long for a synchronous API Gateway → Lambda call: return 202 and finish the work asynchronously (queue, Step Functions), or stream the response.',
  sources: ['AG-TO-WN', 'AG-STREAM'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'computeId', op: 'eq', value: 'lambda' }, { fact: 'maxRequestSeconds', op: 'gt', value: 300 }] },
  effect: {},
} satisfies Rule;
