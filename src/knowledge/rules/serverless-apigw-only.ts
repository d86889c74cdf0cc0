import type { Rule } from '../types.js';

export default {
  id: 'serverless-apigw-only',
  title: 'Serverless backend → API Gateway only',
  severity: 'preference',
  seed: true,
  rationale: 'API Gateway invokes Lambda directly and scales with it; a load balancer would add an hourly bill and a hop without adding anything Lambda needs.',
  message: 'Serverless backend: API Gateway invokes the Lambda functions directly — no load balancer to run or pay for by the hour.',
  sources: ['SEED', 'LENS-APIGW', 'AG-INTTYPES'],
  when: { all: [{ fact: 'platform', op: 'eq', value: 'aws' }, { fact: 'computeId', op: 'eq', value: 'lambda' }] },
  effect: { prefer: { 'apigw-lambda': 20 } },
} satisfies Rule;
