import type { Rule } from '../types.js';

export default {
  id: 'proxy-grpc',
  title: 'gRPC → Envoy fits best',
  severity: 'preference',
  rationale: 'Envoy was built for HTTP/2 and gRPC with per-RPC balancing; nginx (grpc_pass), HAProxy, Caddy and Traefik proxy gRPC too.',
  message: 'gRPC: Envoy balances per RPC over HTTP/2; nginx (grpc_pass), HAProxy, Caddy and Traefik proxy gRPC too.',
  sources: ['ENVOY-DOCS', 'NGX-GRPC'],
  when: { all: [{ fact: 'platform', op: 'ne', value: 'aws' }, { fact: 'protocols', op: 'includes', value: 'grpc' }] },
  effect: { proxy: { prefer: { envoy: 4 } } },
} satisfies Rule;
