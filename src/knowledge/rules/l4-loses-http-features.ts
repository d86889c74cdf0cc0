import type { Rule } from '../types.js';

export default {
  id: 'l4-loses-http-features',
  title: 'HTTP over an NLB loses layer-7 features',
  severity: 'warning',
  rationale: 'An NLB forwards bytes: no path routing, no WAF, no HTTP authentication.',
  message: 'An NLB does not look inside HTTP: path routing, WAF and HTTP auth are lost for the HTTP traffic — add an ALB as an NLB target or a separate HTTP entry.',
  sources: ['BP-DEC', 'WAF-RES'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'servers', op: 'eq', value: true }, { fact: 'l4', op: 'eq', value: true }, { fact: 'httpFamily', op: 'eq', value: true }] },
  effect: {},
} satisfies Rule;
