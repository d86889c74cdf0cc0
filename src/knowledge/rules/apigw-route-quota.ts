import type { Rule } from '../types.js';

export default {
  id: 'apigw-route-quota',
  title: 'Many services: API Gateway route quota',
  severity: 'warning',
  phase: 'post',
  rationale: 'API Gateway allows 300 routes (HTTP) or resources (REST) per API; each REST service needs a resource and its proxy child.',
  message: '{services} services approach the API Gateway quota of 300 routes/resources per API: split them across several APIs or route a greedy path per group.',
  sources: ['AG-HTTPQ', 'AG-RESTQ'],
  when: { all: [{ fact: 'components', op: 'includesAny', value: ['apigw-rest', 'apigw-http'] }, { fact: 'services', op: 'gt', value: 150 }] },
  effect: {},
} satisfies Rule;
