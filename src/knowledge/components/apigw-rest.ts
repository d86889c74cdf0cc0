// Amazon API Gateway, REST API type. Facts: ../shared/reference/aws-facts.md §1, §4, §7.
import type { Component } from '../types.js';

export default {
  id: 'apigw-rest',
  name: 'Amazon API Gateway (REST API)',
  kind: 'api-gateway',
  summary: 'Managed API front door with the full feature set: API keys and usage plans, stage cache, VTL transforms, AWS WAF, private and edge-optimized endpoints.',
  cells: {
    layer: {
      support: 'yes',
      note: 'L7 HTTPS only; Edge-optimized, Regional or Private endpoints',
      sources: ['AG-VS'],
    },
    routing: {
      support: 'yes',
      note: 'Resources (paths) and methods; custom-domain routing rules on headers or base path (2025-06-03)',
      sources: ['AG-VS', 'AG-HIST'],
    },
    auth: {
      support: 'yes',
      note: 'IAM (SigV4), Cognito user pools, Lambda authorizers (TOKEN/REQUEST), resource policies, mTLS on Regional custom domains; no native JWT authorizer',
      sources: ['AG-VS', 'AG-MTLS'],
    },
    rateLimit: {
      support: 'yes',
      note: 'Account 10,000 RPS / 5,000 burst per Region (shared by all API types); stage and method throttles; per-key limits via usage plans (best effort)',
      sources: ['AG-LIM', 'AG-UP'],
    },
    caching: {
      support: 'yes',
      note: 'Per-stage cache 0.5–237 GB; TTL 300 s default, 3,600 s max; billed hourly; not used while streaming',
      sources: ['AG-CACHE', 'AG-STREAM'],
    },
    transforms: {
      support: 'yes',
      note: 'VTL mapping templates (non-proxy), parameter mapping, request validation with models',
      sources: ['AG-INTTYPES', 'AG-VS'],
    },
    loadBalancing: {
      support: 'n/a',
      note: 'Not a load balancer: reaches ALB/NLB through a VPC link, Lambda scales itself; canary splits deployments',
      sources: ['AG-PRIV', 'AG-VS'],
      correction: {
        seed: 'Load balancing: "Limited (can route traffic)"',
        verdict: 'misleading',
        note: 'API Gateway does no target balancing; it delegates to ALB/NLB (VPC link V2 reaches a private ALB directly since 2025-11-21).',
      },
    },
    serverless: {
      support: 'yes',
      note: 'Lambda proxy (payload format 1.0 only), any AWS service action, mock integrations',
      sources: ['AG-INTTYPES', 'AG-LPF'],
    },
    waf: {
      support: 'yes',
      note: 'AWS WAF web ACLs attach directly (the only API Gateway type that takes WAF)',
      sources: ['WAF-RES', 'AG-VS'],
    },
    http: {
      support: 'yes',
      note: 'HTTPS APIs; HTTP_PROXY and HTTP integrations; response streaming for proxy integrations (2025-11-19)',
      sources: ['AG-INTTYPES', 'AG-STREAM'],
    },
    websocket: {
      support: 'no',
      note: 'No WebSocket; use the WebSocket API type',
      sources: ['AG-VS'],
    },
    grpc: {
      support: 'no',
      note: 'No gRPC integration (no end-to-end HTTP/2 or trailers); use ALB or CloudFront for gRPC',
      sources: ['AG-INTTYPES', 'BP-DEC'],
      correction: {
        seed: 'API Gateway routes requests to services over "REST, WebSocket, gRPC"',
        verdict: 'wrong',
        note: 'No API Gateway type proxies gRPC; ALB (gRPC target groups) and CloudFront do.',
      },
    },
    tcp: { support: 'no', note: 'HTTP APIs only; raw TCP needs an NLB', sources: ['AG-VS', 'BP-DEC'] },
    udp: { support: 'no', note: 'No UDP; use an NLB', sources: ['AG-VS', 'BP-DEC'] },
    staticIp: {
      support: 'no',
      note: 'DNS endpoints only; for fixed IPs put an NLB or Global Accelerator in the design',
      sources: ['BP-DEC'],
    },
    tlsPassthrough: {
      support: 'no',
      note: 'TLS always terminates at API Gateway',
      sources: ['AG-VS', 'BP-DEC'],
    },
    stickySessions: {
      support: 'n/a',
      note: 'No session affinity concept; stickiness belongs to the ALB behind it',
      sources: ['AG-PRIV'],
    },
    apiKeys: {
      support: 'yes',
      note: 'API keys with usage plans (per-key throttle and quota, best effort, not hard limits)',
      sources: ['AG-UP', 'AG-VS'],
    },
    payloadLimit: {
      support: 'yes',
      note: '10 MB; Lambda buffered 6 MB; streamed responses may exceed 10 MB (throttled to 2 MB/s past it)',
      sources: ['AG-RESTQ', 'LMB-INVOKE', 'AG-STREAM'],
    },
    timeoutLimit: {
      support: 'partial',
      note: '29 s default; Regional/private REST can be raised (2024-06-04, may lower account RPS); streaming up to 15 min (2025-11-19)',
      sources: ['AG-TO-WN', 'AG-RESTQ', 'AG-STREAM'],
      correction: {
        seed: 'API Gateway integration timeout is a fixed 29 s',
        verdict: 'dated',
        note: 'Regional and private REST APIs can exceed 29 s via a quota increase (2024-06-04); streamed responses run up to 15 min (2025-11-19).',
      },
    },
    pricing: {
      support: 'yes',
      note: 'us-east-1: $3.50/M first 333 M, then $2.80, $2.38, $1.51/M; cache billed hourly (1.6 GB ≈ $0.038/h)',
      sources: ['WP-COST', 'AG-PRICE'],
    },
  },
} satisfies Component;
