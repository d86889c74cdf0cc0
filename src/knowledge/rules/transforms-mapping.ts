import type { Rule } from '../types.js';

export default {
  id: 'transforms-mapping',
  title: 'Transforms: HTTP APIs map parameters, REST maps bodies',
  severity: 'info',
  rationale: 'HTTP API parameter mapping rewrites headers, query strings and paths; body mapping templates (VTL) are REST-only.',
  message: 'Transforms: HTTP APIs rewrite headers, query strings and paths; rewriting bodies needs REST mapping templates (VTL) or code in the service.',
  sources: ['AG-PMAP', 'AG-INTTYPES'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'transforms', op: 'eq', value: true }] },
  effect: {},
} satisfies Rule;
