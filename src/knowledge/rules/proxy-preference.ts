import type { Rule } from '../types.js';

export default {
  id: 'proxy-preference',
  title: 'Your proxy preference wins',
  severity: 'info',
  rationale: 'Teams know their proxy; edgewise generates the chosen one and says what it cannot do.',
  message: 'You asked for {proxy}: it is the proxy edgewise configures.',
  sources: ['EDGEWISE-GW'],
  when: { all: [{ fact: 'platform', op: 'ne', value: 'aws' }, { fact: 'proxy', op: 'ne', value: 'auto' }] },
  effect: {},
} satisfies Rule;
