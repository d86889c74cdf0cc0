// AWS Lambda as a backend. Facts: aws-facts.md §1.3, §2.1, §7.
import type { Component } from '../types.js';

export default {
  id: 'lambda',
  name: 'AWS Lambda',
  kind: 'compute',
  summary: 'Functions invoked per request by API Gateway or ALB; scales itself and idles at no cost.',
  cells: {
    serverless: {
      support: 'yes',
      note: 'Invoked by API Gateway (REST 1.0, HTTP 1.0/2.0 events) or ALB (its own event shape)',
      sources: ['AG-LPF', 'ALB-LAMBDA'],
    },
    payloadLimit: {
      support: 'yes',
      note: '6 MB buffered invoke payload; 1 MB each way behind an ALB',
      sources: ['LMB-INVOKE', 'ALB-LAMBDA'],
    },
  },
} satisfies Component;
