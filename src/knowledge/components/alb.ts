// Application Load Balancer. Facts: ../shared/reference/aws-facts.md §2, §3.1, §4, §7.
import type { Component } from '../types.js';

export default {
  id: 'alb',
  name: 'Application Load Balancer (ALB)',
  kind: 'load-balancer',
  summary: 'Managed L7 load balancer: content routing, OIDC/JWT/mTLS authentication, Lambda and container targets, AWS WAF; no static IP.',
  cells: {
    layer: { support: 'yes', note: 'L7: HTTP and HTTPS listeners', sources: ['ALB-LIS', 'BP-LB'] },
    routing: {
      support: 'yes',
      note: 'Host, path, header, method, query string and source IP conditions; regex matching and URL/host rewrite (2025-10-15)',
      sources: ['ALB-COND', 'ALB-XFORM'],
    },
    auth: {
      support: 'yes',
      note: 'OIDC or Cognito login (HTTPS listeners), JWT verification (2025-11-21), mTLS verify or passthrough (2023-11-26); no IAM or API keys',
      sources: ['ALB-AUTH', 'ALB-JWT', 'ALB-MTLS'],
      correction: {
        seed: 'ELB: Authentication & Authz ❌ (limited TLS client certs)',
        verdict: 'wrong',
        note: 'ALB authenticates users with OIDC/Cognito, verifies JWT bearer tokens and does full mTLS; it lacks IAM, API keys and custom authorizers.',
      },
    },
    rateLimit: {
      support: 'partial',
      note: 'Only through AWS WAF rate-based rules: 60/120/300/600 s windows, minimum 10, approximate; no per-client quotas',
      sources: ['WAF-RATE', 'WAF-RES'],
      correction: {
        seed: 'ELB: Rate limiting / Throttling ❌',
        verdict: 'oversimplified',
        note: 'ALB + AWS WAF rate-based rules limit by IP, header, cookie, path and other keys; approximate, no quotas.',
      },
    },
    caching: {
      support: 'no',
      note: 'No cache; put CloudFront (VPC origins reach a private ALB) in front',
      sources: ['CF-VPCO', 'BP-INET'],
    },
    transforms: {
      support: 'partial',
      note: 'URL and host rewrite (2025-10-15), header changes (2025-02-28), redirects and fixed responses; no body transforms',
      sources: ['ALB-XFORM', 'ALB-HIST'],
      correction: {
        seed: 'ELB: Caching / Response transforms ❌',
        verdict: 'oversimplified',
        note: 'No cache, but ALB rewrites URLs and hosts and modifies headers; only body transforms are missing.',
      },
    },
    loadBalancing: {
      support: 'yes',
      note: 'Round robin, least outstanding requests, weighted random with Automatic Target Weights; slow start 30–900 s; cross-zone on',
      sources: ['BP-LB'],
    },
    serverless: {
      support: 'yes',
      note: 'Lambda targets (1 MB request and response, no WebSockets); IP targets for Fargate tasks and pods',
      sources: ['ALB-LAMBDA', 'BP-LB'],
      correction: {
        seed: 'ELB: Integration with serverless ❌',
        verdict: 'wrong',
        note: 'ALB invokes Lambda functions as targets (1 MB each way) and reaches Fargate tasks as IP targets.',
      },
    },
    waf: { support: 'yes', note: 'AWS WAF web ACLs attach directly', sources: ['WAF-RES'] },
    http: {
      support: 'yes',
      note: 'HTTP/1.1 and HTTP/2 (HTTPS listeners); no HTTP/3 termination (use CloudFront)',
      sources: ['ALB-LIS', 'BP-LB'],
    },
    websocket: {
      support: 'yes',
      note: 'On HTTP and HTTPS listeners; not to Lambda targets',
      sources: ['ALB-LIS', 'ALB-LAMBDA'],
    },
    grpc: {
      support: 'yes',
      note: 'gRPC target groups (protocol version GRPC) on HTTPS listeners; health checks on gRPC codes',
      sources: ['ALB-TG', 'BP-DEC'],
    },
    tcp: { support: 'no', note: 'No TCP listeners; use an NLB (ALB can be its target)', sources: ['BP-DEC'] },
    udp: { support: 'no', note: 'No UDP; use an NLB', sources: ['BP-DEC'] },
    staticIp: {
      support: 'no',
      note: 'DNS name only; put an NLB (ALB as target) or Global Accelerator in front',
      sources: ['BP-LB', 'BP-DEC'],
    },
    tlsPassthrough: {
      support: 'no',
      note: 'Terminates TLS; for passthrough use an NLB TCP:443 listener',
      sources: ['ALB-LIS', 'BP-DEC'],
    },
    stickySessions: {
      support: 'yes',
      note: 'Load-balancer cookie (duration) or application cookie, per target group',
      sources: ['ALB-STICKY'],
    },
    apiKeys: { support: 'no', note: 'No API keys or usage plans', sources: ['ALB-AUTH', 'ALB-JWT'] },
    payloadLimit: {
      support: 'yes',
      note: 'No body size limit to EC2/IP targets; Lambda targets 1 MB each way; WAF body rules see only the first 8 KB',
      sources: ['ALB-LAMBDA', 'WAF-BODY'],
    },
    timeoutLimit: {
      support: 'yes',
      note: 'Idle timeout 60 s default, configurable (1–4,000 s); Lambda targets bound by the function timeout',
      sources: ['BP-LB', 'ALB-LAMBDA'],
    },
    pricing: {
      support: 'yes',
      note: 'us-east-1: $0.0225/h + $0.008/LCU-h (≈ $16.4/month floor)',
      sources: ['ELB-PRICE'],
    },
  },
} satisfies Component;
