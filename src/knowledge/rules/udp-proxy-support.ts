import type { Rule } from '../types.js';

export default {
  id: 'udp-proxy-support',
  title: 'UDP → nginx, Envoy or Traefik',
  severity: 'constraint',
  rationale: 'nginx (stream), Envoy (UDP proxy) and Traefik (UDP routers) proxy UDP; HAProxy community edition and the standard Caddy build do not.',
  message: 'UDP: nginx (stream module), Envoy and Traefik proxy UDP; HAProxy and standard Caddy do not.',
  sources: ['NGX-STREAM', 'HAP-CONF', 'CADDY-DOCS', 'TRAEFIK-DOCS'],
  when: { all: [{ fact: 'platform', op: 'ne', value: 'aws' }, { fact: 'protocols', op: 'includes', value: 'udp' }] },
  effect: { proxy: { exclude: ['haproxy', 'caddy'], prefer: { nginx: 1 } } },
} satisfies Rule;
