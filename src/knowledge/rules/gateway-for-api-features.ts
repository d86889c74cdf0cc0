import type { Rule } from '../types.js';

export default {
  id: 'gateway-for-api-features',
  title: 'JWT / API keys / quotas off AWS → add the TypeScript gateway',
  severity: 'preference',
  rationale: 'Open-source proxies verify JWTs, meter API keys and enforce per-client quotas only through plugins or scripting; a small gateway behind the proxy does it in tested code.',
  message: 'JWT or API-key auth, per-client limits and quotas are gateway work a plain proxy only does with plugins: the TypeScript gateway sits behind the edge.',
  sources: ['EDGEWISE-GW', 'NGX-AUTHREQ', 'TRAEFIK-DOCS'],
  when: { all: [{ fact: 'platform', op: 'ne', value: 'aws' }, { fact: 'needsGatewayFeatures', op: 'eq', value: true }] },
  effect: { prefer: { 'proxy-gateway': 30, 'gateway-api-gateway': 30 } },
} satisfies Rule;
