import type { Rule } from '../types.js';

export default {
  id: 'lambda-payload-format',
  title: 'Lambda event format follows the API type',
  severity: 'info',
  phase: 'post',
  rationale: 'REST Lambda proxy integrations send payload format 1.0; HTTP APIs send 1.0 or 2.0 (2.0 recommended); the local gateway emulates the same.',
  message: 'The {apiName} API sends Lambda proxy events in payload format {payloadFormat} (REST: 1.0 only; HTTP APIs: 2.0); the generated local gateway emulates the same format.',
  sources: ['AG-LPF'],
  when: { all: [{ fact: 'components', op: 'includes', value: 'lambda' }, { fact: 'components', op: 'includesAny', value: ['apigw-rest', 'apigw-http'] }] },
  effect: {},
} satisfies Rule;
