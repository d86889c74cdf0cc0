import type { Rule } from '../types.js';

export default {
  id: 'grpc-not-on-apigw',
  title: 'gRPC → ALB, not API Gateway',
  severity: 'constraint',
  rationale: 'API Gateway integrations are HTTP/1.1 request/response (plus WebSocket); it does not proxy gRPC. ALB target groups speak HTTP/2 and gRPC with gRPC health checks.',
  message: 'API Gateway does not proxy gRPC; an ALB does (gRPC target groups over HTTP/2, gRPC status codes in health checks).',
  sources: ['BP-DEC', 'ALB-LIS', 'AG-INTTYPES'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'servers', op: 'eq', value: true }, { fact: 'protocols', op: 'includes', value: 'grpc' }] },
  effect: { exclude: ['apigw-alb', 'hybrid'] },
} satisfies Rule;
