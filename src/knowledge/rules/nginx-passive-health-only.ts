import type { Rule } from '../types.js';

export default {
  id: 'nginx-passive-health-only',
  title: 'Open-source nginx checks health passively',
  severity: 'warning',
  phase: 'post',
  rationale: 'nginx OSS marks an upstream down only after real requests fail (max_fails/fail_timeout); active health checks are an NGINX Plus feature.',
  message: 'Open-source nginx checks upstream health passively (max_fails/fail_timeout): a dead instance is skipped only after real requests fail on it. Active checks need NGINX Plus, or HAProxy, Caddy, Traefik or Envoy (--proxy).',
  sources: ['NGX-PLUS', 'NGX-LB'],
  when: { all: [{ fact: 'components', op: 'includes', value: 'nginx' }, { fact: 'instances', op: 'eq', value: 'multiple' }] },
  effect: {},
} satisfies Rule;
