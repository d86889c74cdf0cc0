// The TypeScript gateway: templates/gateway/{src,test,bench} copied into gateway/.
import type { EdgeSpec } from '../../spec/schema.js';
import { copyCode } from '../starter/copy.js';
import type { PlanContext, Target } from '../types.js';

export const gatewayTarget: Target = {
  id: 'gateway',
  plan(_spec: EdgeSpec, ctx: PlanContext) {
    return copyCode('gateway', 'gateway', ctx, 'gateway', (rel) => rel.startsWith('src/') || rel.startsWith('test/') || rel.startsWith('bench/'));
  },
};
