import type { Rule } from '../types.js';

export default {
  id: 'path-routing',
  title: 'Several services → path routing at the edge',
  severity: 'info',
  rationale: 'One entry point for many services: each gets a path prefix, routed by the first layer-7 hop.',
  message: '{services} services share one entry point, each under its own path prefix (/api/<name>).',
  sources: ['ALB-COND', 'NGX-LB'],
  when: { fact: 'services', op: 'gt', value: 1 },
  effect: {},
} satisfies Rule;
