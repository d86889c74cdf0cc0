import type { Rule } from '../types.js';

export default {
  id: 'private-api-rest',
  title: 'Internal-only API behind API Gateway → private REST API',
  severity: 'constraint',
  rationale: 'Private API endpoints, reachable only through an interface VPC endpoint, exist for REST APIs only.',
  message: 'Only internal clients: a private API endpoint (reachable only through a VPC interface endpoint) is REST-only.',
  sources: ['AG-VS', 'LENS-APIGW'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'internalOnly', op: 'eq', value: true }] },
  effect: { api: { require: 'rest' } },
} satisfies Rule;
