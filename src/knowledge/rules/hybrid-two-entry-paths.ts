import type { Rule } from '../types.js';

export default {
  id: 'hybrid-two-entry-paths',
  title: 'Public through API Gateway, internal straight to the ALB',
  severity: 'preference',
  seed: true,
  rationale: 'External consumers need the API-level controls; internal callers are trusted and should not pay per request or hit API Gateway limits. Both reach the same private ALB.',
  message: 'Public/partner traffic goes through API Gateway for auth and throttling; internal traffic goes straight to the same private ALB — two entry paths, one fleet.',
  sources: ['SEED', 'AG-PRIV', 'BP-INET'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'servers', op: 'eq', value: true }, { fact: 'mixedClients', op: 'eq', value: true }, { fact: 'needsApiControl', op: 'eq', value: true }] },
  effect: { prefer: { hybrid: 20 } },
} satisfies Rule;
