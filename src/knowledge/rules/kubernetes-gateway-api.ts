import type { Rule } from '../types.js';

export default {
  id: 'kubernetes-gateway-api',
  title: 'Kubernetes → Gateway API',
  severity: 'preference',
  rationale: 'Gateway API (Gateway, HTTPRoute, GRPCRoute) is the portable, role-oriented successor to Ingress; any conformant controller implements it.',
  message: 'On Kubernetes, a Gateway API Gateway with HTTPRoutes (and GRPCRoutes) describes the edge portably; a controller implements it.',
  sources: ['GWAPI'],
  when: { fact: 'platform', op: 'eq', value: 'kubernetes' },
  effect: { prefer: { 'gateway-api': 20 } },
} satisfies Rule;
