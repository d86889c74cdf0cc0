// Amazon API Gateway, WebSocket API type. Facts: ../shared/reference/aws-facts.md §1, §7.
import type { Component } from '../types.js';

export default {
  id: 'apigw-websocket',
  name: 'Amazon API Gateway (WebSocket API)',
  kind: 'api-gateway',
  summary: 'Managed WebSocket endpoint that turns messages into Lambda, HTTP or AWS service calls; connections last at most 2 hours.',
  cells: {
    layer: { support: 'yes', note: 'L7 WebSocket over TLS; Regional endpoints only', sources: ['AG-VS', 'WP-WS'] },
    routing: {
      support: 'yes',
      note: 'Route selection expression on message content; $connect, $disconnect, $default and custom route keys',
      sources: ['WP-WS', 'AG-WSQ'],
    },
    auth: {
      support: 'partial',
      note: 'IAM or a Lambda REQUEST authorizer, evaluated only on $connect',
      sources: ['AG-WSAUTH'],
    },
    rateLimit: {
      support: 'partial',
      note: 'Account and route throttling; 500 new connections/s per account and Region (raisable)',
      sources: ['AG-WSQ', 'AG-LIM'],
    },
    caching: { support: 'no', note: 'No cache', sources: ['AG-VS'] },
    transforms: {
      support: 'yes',
      note: 'Mapping templates (max 300 KB) and model-based message validation',
      sources: ['AG-WSQ', 'AG-INTTYPES'],
    },
    loadBalancing: {
      support: 'n/a',
      note: 'Not a load balancer; private integrations reach an NLB through a VPC link',
      sources: ['WP-WS'],
    },
    serverless: {
      support: 'yes',
      note: 'Lambda, HTTP, AWS service and mock integrations per route',
      sources: ['AG-INTTYPES', 'WP-WS'],
    },
    waf: {
      support: 'no',
      note: 'AWS WAF cannot attach to WebSocket APIs',
      sources: ['WAF-RES'],
      correction: {
        seed: 'API Gateway: Security / WAF ✅',
        verdict: 'oversimplified',
        note: 'Only REST APIs take AWS WAF; HTTP and WebSocket APIs need CloudFront + WAF in front.',
      },
    },
    http: {
      support: 'no',
      note: 'WebSocket only; use a REST or HTTP API for request/response traffic',
      sources: ['AG-VS'],
    },
    websocket: {
      support: 'yes',
      note: '2 h maximum connection, 10 min idle timeout; no concurrent-connection quota',
      sources: ['AG-WSQ'],
    },
    grpc: {
      support: 'no',
      note: 'No gRPC; use ALB or CloudFront for gRPC',
      sources: ['AG-INTTYPES', 'BP-DEC'],
      correction: {
        seed: 'API Gateway routes requests to services over "REST, WebSocket, gRPC"',
        verdict: 'wrong',
        note: 'No API Gateway type proxies gRPC; ALB (gRPC target groups) and CloudFront do.',
      },
    },
    tcp: { support: 'no', note: 'No raw TCP', sources: ['BP-DEC'] },
    udp: { support: 'no', note: 'No UDP', sources: ['BP-DEC'] },
    staticIp: { support: 'no', note: 'DNS endpoint only', sources: ['BP-DEC'] },
    tlsPassthrough: { support: 'no', note: 'TLS terminates at API Gateway', sources: ['BP-DEC'] },
    stickySessions: {
      support: 'n/a',
      note: 'Each connection has an id; backends reply through it, not through affinity',
      sources: ['WP-WS'],
    },
    apiKeys: {
      support: 'partial',
      note: 'API keys via apiKeySelectionExpression; usage-plan details need checking',
      sources: ['AG-WSKEY'],
    },
    payloadLimit: {
      support: 'yes',
      note: '128 KB per message, 32 KB per frame (larger frames close with 1009)',
      sources: ['AG-WSQ'],
    },
    timeoutLimit: {
      support: 'partial',
      note: 'Integration timeout 29 s, not adjustable',
      sources: ['AG-WSQ'],
    },
    pricing: {
      support: 'yes',
      note: '$1.00/M messages (32 KB units) + $0.25/M connection-minutes',
      sources: ['AG-PRICE'],
    },
  },
} satisfies Component;
