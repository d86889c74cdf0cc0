// API Gateway VPC links: the glue from API Gateway to private load balancers. Facts: aws-facts.md §1.2.
import type { Component } from '../types.js';

export default {
  id: 'vpc-link',
  name: 'API Gateway VPC link',
  kind: 'glue',
  summary: 'Connects API Gateway to private ALB, NLB or Cloud Map targets inside a VPC.',
  cells: {
    routing: {
      support: 'yes',
      note: 'REST: V2 → ALB or NLB directly (2025-11-21), V1 NLB only (legacy); HTTP: ALB, NLB, Cloud Map; WebSocket: NLB',
      sources: ['AG-PRIV', 'AG-HIST', 'AG-V1', 'AG-HTTPPRIV', 'WP-WS'],
      correction: {
        seed: 'REST API → private ALB needs an NLB in between',
        verdict: 'dated',
        note: 'VPC link V2 targets a private ALB directly from REST APIs since 2025-11-21; V1 (NLB only) is legacy.',
      },
    },
    layer: {
      support: 'yes',
      note: 'ENIs in your subnets; V2 links go INACTIVE after 60 days without traffic and are immutable',
      sources: ['AG-VPCLV2'],
    },
  },
} satisfies Component;
