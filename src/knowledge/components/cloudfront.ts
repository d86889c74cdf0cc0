// Amazon CloudFront in front of ALB / API Gateway. Facts: ../shared/reference/aws-facts.md §3.2.
import type { Component } from '../types.js';

export default {
  id: 'cloudfront',
  name: 'Amazon CloudFront',
  kind: 'cdn',
  summary: 'Managed CDN and edge proxy: caching, HTTP/3, edge functions, AWS WAF at the edge, VPC origins to private ALB/NLB.',
  cells: {
    layer: { support: 'yes', note: 'L7 at edge locations; HTTP/1.1, HTTP/2 and HTTP/3 to viewers', sources: ['BP-LB', 'BP-DEC'] },
    routing: {
      support: 'yes',
      note: 'Cache behaviors route path patterns to origins (ALB, NLB, API Gateway, S3, custom); VPC origins for private ALB/NLB',
      sources: ['CF-VPCO', 'BP-INET'],
    },
    auth: {
      support: 'partial',
      note: 'Signed URLs/cookies and origin access control; token checks need CloudFront Functions or Lambda@Edge',
      sources: ['CF-EDGEFN'],
    },
    rateLimit: { support: 'partial', note: 'Through AWS WAF rate-based rules at the edge', sources: ['WAF-RATE', 'WAF-RES'] },
    caching: {
      support: 'yes',
      note: 'Edge cache with cache policies; the way to cache in front of an ALB or HTTP API',
      sources: ['BP-INET', 'LENS-APIGW'],
    },
    transforms: {
      support: 'yes',
      note: 'Header policies; CloudFront Functions and Lambda@Edge rewrite requests and responses',
      sources: ['CF-EDGEFN'],
    },
    loadBalancing: {
      support: 'partial',
      note: 'Origin groups give failover only; balancing belongs to the ALB/NLB origin',
      sources: ['CF-VPCO', 'BP-INET'],
    },
    serverless: {
      support: 'partial',
      note: 'CloudFront Functions and Lambda@Edge run at the edge; Lambda function URLs can be origins',
      sources: ['CF-EDGEFN'],
    },
    waf: { support: 'yes', note: 'AWS WAF web ACLs attach (bundled in flat-rate plans since 2025-11-18)', sources: ['WAF-RES', 'CF-PRICE'] },
    http: { support: 'yes', note: 'Terminates HTTP/3 (QUIC), unlike ALB', sources: ['BP-LB'] },
    websocket: { support: 'yes', note: 'Proxies WebSocket connections to the origin', sources: ['CF-WS'] },
    grpc: {
      support: 'yes',
      note: 'Proxies gRPC over HTTP/2 with HTTPS end to end; gRPC is never cached',
      sources: ['CF-GRPC'],
    },
    tcp: { support: 'no', note: 'HTTP(S) only', sources: ['BP-DEC'] },
    udp: { support: 'no', note: 'No UDP (QUIC only as HTTP/3 to viewers)', sources: ['BP-DEC'] },
    staticIp: {
      support: 'partial',
      note: 'Anycast static IP lists for allowlisting, on request',
      sources: ['CF-ANYCAST'],
    },
    tlsPassthrough: { support: 'no', note: 'TLS terminates at the edge', sources: ['BP-LB'] },
    stickySessions: { support: 'no', note: 'No origin affinity; forward cookies to a sticky ALB', sources: ['BP-INET'] },
    apiKeys: { support: 'no', note: 'No API keys or usage plans', sources: ['CF-EDGEFN'] },
    payloadLimit: {
      support: 'yes',
      note: 'Large uploads and responses pass; WAF body rules see the first 16 KB (up to 64 KB)',
      sources: ['WAF-BODY'],
    },
    timeoutLimit: {
      support: 'yes',
      note: 'Origin response timeout 30 s default, 1–60 s; higher by quota request',
      sources: ['CF-ORIGIN'],
    },
    pricing: {
      support: 'yes',
      note: 'Pay as you go (~$0.085/GB, ~$0.01 per 10k HTTPS requests, NA) or flat-rate plans from $0 (2025-11-18)',
      sources: ['CF-PRICE'],
    },
  },
} satisfies Component;
