import type { Rule } from '../types.js';

export default {
  id: 'tls-passthrough-proxy',
  title: 'TLS passthrough off AWS → SNI routing, no layer-7 gateway',
  severity: 'constraint',
  rationale: 'With passthrough the edge never sees plaintext: it routes by SNI (HAProxy mode tcp, nginx stream ssl_preread, Envoy, Traefik TCP routers) and cannot authenticate requests.',
  message: 'TLS passthrough: the proxy routes by SNI without decrypting; nothing at the edge can read requests, so no layer-7 gateway.',
  sources: ['HAP-CONF', 'NGX-STREAM', 'TRAEFIK-DOCS'],
  when: { all: [{ fact: 'platform', op: 'ne', value: 'aws' }, { fact: 'tls', op: 'eq', value: 'passthrough' }] },
  effect: { exclude: ['proxy-gateway', 'gateway-api-gateway'], proxy: { exclude: ['caddy'], prefer: { haproxy: 3 } } },
} satisfies Rule;
