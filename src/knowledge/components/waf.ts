// AWS WAF. Facts: ../shared/reference/aws-facts.md §3.1.
import type { Component } from '../types.js';

export default {
  id: 'waf',
  name: 'AWS WAF',
  kind: 'firewall',
  summary: 'Managed web application firewall for CloudFront, ALB and REST APIs: managed rule groups and the only native rate limit for ALB.',
  cells: {
    layer: {
      support: 'yes',
      note: 'L7 request inspection on CloudFront, ALB, API Gateway REST and others; not NLB, HTTP or WebSocket APIs',
      sources: ['WAF-RES'],
    },
    routing: { support: 'n/a', note: 'Allows, blocks, counts or challenges; does not route', sources: ['WAF-RES'] },
    auth: {
      support: 'no',
      note: 'Not authentication: filters by IP sets, geography, headers and labels',
      sources: ['WAF-RES'],
    },
    rateLimit: {
      support: 'yes',
      note: 'Rate-based rules: 60/120/300/600 s windows, minimum 10, approximate; keys IP, forwarded IP, header, cookie, query, path, method, label, ASN',
      sources: ['WAF-RATE'],
    },
    caching: { support: 'n/a', note: 'No caching role', sources: ['WAF-RES'] },
    transforms: {
      support: 'partial',
      note: 'Can insert request headers on allow/count and send custom block responses',
      sources: ['WAF-RES'],
    },
    loadBalancing: { support: 'n/a', note: 'Not a traffic distributor', sources: ['WAF-RES'] },
    serverless: { support: 'n/a', note: 'Attaches to the front door, not to functions', sources: ['WAF-RES'] },
    waf: { support: 'yes', note: 'Custom rules, managed rule groups, bot control, CAPTCHA/challenge actions', sources: ['WAF-RES', 'WAF-RATE'] },
    http: { support: 'yes', note: 'Inspects HTTP(S) requests at the protected resource', sources: ['WAF-RES'] },
    websocket: { support: 'n/a', note: 'Sees the HTTP upgrade request, not WebSocket frames', sources: ['WAF-RES'] },
    grpc: {
      support: 'partial',
      note: 'Rules apply to gRPC requests on CloudFront/ALB, but body inspection rules are skipped',
      sources: ['WAF-BODY'],
    },
    tcp: { support: 'no', note: 'HTTP only', sources: ['WAF-RES'] },
    udp: { support: 'no', note: 'HTTP only', sources: ['WAF-RES'] },
    staticIp: { support: 'n/a', note: 'Runs inside the protected resource', sources: ['WAF-RES'] },
    tlsPassthrough: { support: 'n/a', note: 'Needs TLS terminated at the protected resource', sources: ['WAF-RES'] },
    stickySessions: { support: 'n/a', note: 'No affinity role', sources: ['WAF-RES'] },
    apiKeys: { support: 'no', note: 'Can match a key header, but does not manage keys or quotas', sources: ['WAF-RATE'] },
    payloadLimit: {
      support: 'partial',
      note: 'Inspects only the first 8 KB of a body on ALB; 16 KB default (up to 64 KB) on CloudFront and API Gateway',
      sources: ['WAF-BODY'],
    },
    timeoutLimit: { support: 'n/a', note: 'Adds inspection latency only', sources: ['WAF-RES'] },
    pricing: {
      support: 'yes',
      note: '≈ $5 per web ACL + $1 per rule per month + $0.60/M requests (third-party figures)',
      sources: ['WAF-PRICE'],
    },
  },
} satisfies Component;
