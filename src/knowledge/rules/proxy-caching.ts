import type { Rule } from '../types.js';

export default {
  id: 'proxy-caching',
  title: 'Proxy caching → nginx',
  severity: 'preference',
  rationale: 'nginx proxy_cache is a full disk-backed cache; HAProxy has a small in-memory cache; Caddy, Traefik and Envoy need plugins or a separate cache.',
  message: 'Response caching: nginx proxy_cache is full-featured; HAProxy has a small in-memory cache; Caddy, Traefik and Envoy need plugins or another cache.',
  sources: ['NGX-CACHE', 'HAP-CONF', 'CADDY-DOCS', 'TRAEFIK-DOCS', 'ENVOY-DOCS'],
  when: { all: [{ fact: 'platform', op: 'ne', value: 'aws' }, { fact: 'caching', op: 'eq', value: true }] },
  effect: { proxy: { prefer: { nginx: 3, haproxy: 1 } } },
} satisfies Rule;
