import type { Rule } from '../types.js';

export default {
  id: 'kubernetes-gateway-implementation',
  title: 'Gateway API controller: Envoy Gateway by default',
  severity: 'preference',
  rationale: 'Gateway API needs a controller; Envoy Gateway, Traefik and NGINX Gateway Fabric implement it.',
  message: 'Gateway API needs a controller: Envoy Gateway (Envoy) by default; Traefik and NGINX Gateway Fabric implement it too.',
  sources: ['GWAPI', 'ENVOY-DOCS'],
  when: { fact: 'platform', op: 'eq', value: 'kubernetes' },
  effect: { proxy: { prefer: { envoy: 4, traefik: 2, nginx: 1 } } },
} satisfies Rule;
