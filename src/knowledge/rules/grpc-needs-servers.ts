import type { Rule } from '../types.js';

export default {
  id: 'grpc-needs-servers',
  title: 'gRPC cannot reach Lambda',
  severity: 'warning',
  rationale: 'Neither API Gateway nor ALB Lambda targets carry gRPC.',
  message: 'gRPC cannot be served by Lambda behind API Gateway or an ALB: run gRPC services on containers (an ALB routes them) or expose them as HTTP/JSON.',
  sources: ['ALB-LAMBDA', 'AG-INTTYPES'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'computeId', op: 'eq', value: 'lambda' }, { fact: 'protocols', op: 'includes', value: 'grpc' }] },
  effect: {},
} satisfies Rule;
