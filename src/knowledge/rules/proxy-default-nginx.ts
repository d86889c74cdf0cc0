import type { Rule } from '../types.js';

export default {
  id: 'proxy-default-nginx',
  title: 'Default reverse proxy: NGINX',
  severity: 'preference',
  rationale: 'The most widely known open-source reverse proxy, with routing, caching, rate limiting and TLS in the free build; HAProxy is the close second for pure balancing.',
  message: 'Default reverse proxy: NGINX (routing, caching, rate limiting and TLS in the open-source build), with HAProxy a close second for pure balancing.',
  sources: ['NGX-LB', 'NGX-CACHE', 'NGX-LIMIT'],
  when: { fact: 'platform', op: 'eq', value: 'self-hosted' },
  effect: { proxy: { prefer: { nginx: 3, haproxy: 2 } } },
} satisfies Rule;
