import type { Rule } from '../types.js';

export default {
  id: 'tcp-proxy-support',
  title: 'Raw TCP → HAProxy (or nginx stream, Envoy, Traefik)',
  severity: 'preference',
  rationale: 'HAProxy mode tcp is the classic TCP balancer with active checks; Caddy needs the layer4 plugin for TCP.',
  message: 'Raw TCP: HAProxy (mode tcp) balances it with active health checks; nginx stream, Envoy and Traefik can too; Caddy needs a plugin.',
  sources: ['HAP-CONF', 'NGX-STREAM', 'CADDY-DOCS'],
  when: { all: [{ fact: 'platform', op: 'ne', value: 'aws' }, { fact: 'protocols', op: 'includes', value: 'tcp' }] },
  effect: { proxy: { exclude: ['caddy'], prefer: { haproxy: 2 } } },
} satisfies Rule;
