import type { Rule } from '../types.js';

export default {
  id: 'sticky-proxy-cookie',
  title: 'Sticky sessions off AWS → a proxy with cookie affinity',
  severity: 'preference',
  rationale: 'Cookie stickiness is built into HAProxy, Traefik, Caddy and Envoy; open-source nginx gained sticky cookie/route/learn only in 1.29.6 (2026-03-01, stable 1.30) — distribution packages such as Debian 12 (1.22) still only hash (ip_hash/hash).',
  message: 'Cookie-based stickiness is built into HAProxy, Traefik, Caddy and Envoy; open-source nginx has it only from 1.29.6/1.30 (older packages hash by IP).',
  sources: ['NGX-CHANGES', 'NGX-PLUS', 'HAP-CONF', 'TRAEFIK-DOCS', 'CADDY-RP'],
  when: { all: [{ fact: 'platform', op: 'ne', value: 'aws' }, { fact: 'stickySessions', op: 'eq', value: true }] },
  effect: { proxy: { prefer: { haproxy: 4, traefik: 3, caddy: 3, envoy: 2, nginx: -1 } } },
} satisfies Rule;
