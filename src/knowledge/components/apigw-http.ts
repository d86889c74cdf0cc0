// Amazon API Gateway, HTTP API type. Facts: ../shared/reference/aws-facts.md §1, §7.
import type { Component } from '../types.js';

export default {
  id: 'apigw-http',
  name: 'Amazon API Gateway (HTTP API)',
  kind: 'api-gateway',
  summary: 'Cheaper, cut-down managed API front door: JWT authorizers, Lambda and private integrations, no WAF, API keys or cache.',
  cells: {
    layer: { support: 'yes', note: 'L7 HTTPS only; Regional endpoints only', sources: ['AG-VS'] },
    routing: {
      support: 'yes',
      note: 'Routes by method and path (greedy {proxy+}, $default); private targets ALB, NLB or Cloud Map',
      sources: ['AG-VS', 'AG-HTTPPRIV'],
    },
    auth: {
      support: 'yes',
      note: 'Native JWT/OIDC authorizer, Lambda authorizers, IAM (SigV4); mTLS on custom domains; no resource policies',
      sources: ['AG-VS', 'AG-MTLS'],
    },
    rateLimit: {
      support: 'partial',
      note: 'Account, stage and per-route throttling; no per-client limits (no usage plans)',
      sources: ['AG-HTTPTHR', 'AG-LIM', 'AG-VS'],
    },
    caching: { support: 'no', note: 'No built-in cache; put CloudFront in front', sources: ['AG-VS', 'CF-VPCO'] },
    transforms: {
      support: 'partial',
      note: 'Parameter mapping of headers, query string and path only; no body templates',
      sources: ['AG-PMAP', 'AG-VS'],
    },
    loadBalancing: {
      support: 'n/a',
      note: 'Not a load balancer: delegates to ALB, NLB or Cloud Map through VPC link V2',
      sources: ['AG-HTTPPRIV'],
      correction: {
        seed: 'Load balancing: "Limited (can route traffic)"',
        verdict: 'misleading',
        note: 'HTTP APIs do no target balancing; ALB, NLB or Cloud Map behind a VPC link do.',
      },
    },
    serverless: {
      support: 'yes',
      note: 'Lambda proxy (payload 1.0 or 2.0); fixed AWS service subtypes (SQS, EventBridge, Kinesis, Step Functions, AppConfig)',
      sources: ['AG-LPF', 'AG-INTTYPES'],
    },
    waf: {
      support: 'no',
      note: 'AWS WAF cannot attach; put CloudFront + WAF in front',
      sources: ['WAF-RES', 'AG-VS'],
      correction: {
        seed: 'API Gateway: Security / WAF ✅',
        verdict: 'oversimplified',
        note: 'Only REST APIs take AWS WAF; HTTP and WebSocket APIs need CloudFront + WAF in front.',
      },
    },
    http: { support: 'yes', note: 'HTTPS APIs; HTTP_PROXY integrations', sources: ['AG-INTTYPES'] },
    websocket: { support: 'no', note: 'No WebSocket; use the WebSocket API type', sources: ['AG-VS'] },
    grpc: {
      support: 'no',
      note: 'No gRPC integration; use ALB or CloudFront for gRPC',
      sources: ['AG-INTTYPES', 'BP-DEC'],
      correction: {
        seed: 'API Gateway routes requests to services over "REST, WebSocket, gRPC"',
        verdict: 'wrong',
        note: 'No API Gateway type proxies gRPC; ALB (gRPC target groups) and CloudFront do.',
      },
    },
    tcp: { support: 'no', note: 'HTTP only; raw TCP needs an NLB', sources: ['BP-DEC'] },
    udp: { support: 'no', note: 'No UDP; use an NLB', sources: ['BP-DEC'] },
    staticIp: { support: 'no', note: 'DNS endpoint only', sources: ['BP-DEC'] },
    tlsPassthrough: { support: 'no', note: 'TLS terminates at API Gateway', sources: ['BP-DEC'] },
    stickySessions: { support: 'n/a', note: 'No session affinity concept', sources: ['AG-HTTPPRIV'] },
    apiKeys: { support: 'no', note: 'No API keys or usage plans (REST only)', sources: ['AG-VS'] },
    payloadLimit: {
      support: 'yes',
      note: '10 MB; Lambda buffered 6 MB; request line + headers 10,240 bytes',
      sources: ['AG-HTTPQ', 'LMB-INVOKE'],
    },
    timeoutLimit: {
      support: 'partial',
      note: '30 s maximum integration timeout, not adjustable',
      sources: ['AG-HTTPQ'],
    },
    pricing: {
      support: 'yes',
      note: 'us-east-1: $1.00/M first 300 M, then $0.90/M; metered in 512 KB increments',
      sources: ['WP-COST', 'AG-PRICE'],
    },
  },
} satisfies Component;
