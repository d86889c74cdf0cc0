import type { Rule } from '../types.js';

export default {
  id: 'waf-self-hosted',
  title: 'WAF off AWS is a proxy module',
  severity: 'warning',
  rationale: 'There is no managed WAF here: ModSecurity or Coraza run as proxy modules, or a CDN/WAF service sits in front.',
  message: 'No managed WAF off AWS: add ModSecurity/Coraza to the proxy, or put a CDN/WAF service in front; the generated configs do not include one.',
  sources: ['SEED', 'TRAEFIK-DOCS'],
  when: { all: [{ fact: 'platform', op: 'ne', value: 'aws' }, { fact: 'waf', op: 'eq', value: true }] },
  effect: {},
} satisfies Rule;
