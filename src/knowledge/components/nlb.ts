// Network Load Balancer. Facts: ../shared/reference/aws-facts.md §2, §7.
import type { Component } from '../types.js';

export default {
  id: 'nlb',
  name: 'Network Load Balancer (NLB)',
  kind: 'load-balancer',
  summary: 'Managed L4 load balancer for TCP, UDP, TLS and QUIC: static IPs, TLS passthrough, PrivateLink; no HTTP awareness and no AWS WAF.',
  cells: {
    layer: {
      support: 'yes',
      note: 'L4: TCP, UDP, TCP_UDP, TLS, QUIC and TCP_QUIC listeners (QUIC 2025-11-13)',
      sources: ['NLB-LIS', 'NLB-HIST'],
    },
    routing: {
      support: 'partial',
      note: 'By listener port; listener rules only match source IP address type (2026); no L7 routing',
      sources: ['NLB-LIS', 'NLB-HIST'],
    },
    auth: {
      support: 'partial',
      note: 'mTLS verify mode with identity filters (recent, check availability) and security groups; no user or token auth',
      sources: ['NLB-MTLS', 'BP-LB'],
    },
    rateLimit: { support: 'no', note: 'None; AWS WAF cannot attach to an NLB', sources: ['WAF-RES'] },
    caching: { support: 'no', note: 'No cache', sources: ['BP-LB'] },
    transforms: { support: 'no', note: 'Bytes pass through unchanged (Proxy Protocol v2 optional)', sources: ['BP-LB'] },
    loadBalancing: {
      support: 'yes',
      note: 'Flow hash; weighted target groups (2025-11-19); cross-zone off by default',
      sources: ['BP-LB', 'NLB-HIST'],
    },
    serverless: {
      support: 'no',
      note: 'No Lambda targets; IP targets reach Fargate tasks; ALB can be a target',
      sources: ['BP-LB'],
    },
    waf: {
      support: 'no',
      note: 'AWS WAF cannot attach; filter with security groups or put CloudFront/ALB + WAF in the path',
      sources: ['WAF-RES', 'BP-DEC'],
      correction: {
        seed: 'ELB: Security / WAF ✅ via AWS WAF integration',
        verdict: 'oversimplified',
        note: 'Only ALB takes AWS WAF; NLB and CLB cannot.',
      },
    },
    http: {
      support: 'partial',
      note: 'Carries HTTP as TCP/TLS bytes with no HTTP awareness',
      sources: ['BP-DEC'],
    },
    websocket: { support: 'yes', note: 'Carried as long-lived TCP/TLS connections', sources: ['NLB-LIS', 'BP-LB'] },
    grpc: {
      support: 'partial',
      note: 'Passes HTTP/2 through as TCP/TLS; balances connections, not calls',
      sources: ['BP-DEC'],
    },
    tcp: { support: 'yes', note: 'TCP and TLS listeners; idle 350 s default (60–6,000 s)', sources: ['NLB-LIS', 'BP-LB'] },
    udp: { support: 'yes', note: 'UDP and TCP_UDP listeners; QUIC passthrough (2025-11-13)', sources: ['NLB-LIS', 'NLB-HIST'] },
    staticIp: {
      support: 'yes',
      note: 'One static IP per AZ, optional Elastic IP per subnet; PrivateLink endpoint services',
      sources: ['BP-LB', 'BP-DEC'],
    },
    tlsPassthrough: { support: 'yes', note: 'TCP:443 listener passes TLS to targets untouched', sources: ['NLB-LIS'] },
    stickySessions: {
      support: 'partial',
      note: 'Source-IP affinity (TCP target groups) and QUIC connection IDs; no cookies',
      sources: ['BP-LB'],
    },
    apiKeys: { support: 'no', note: 'No API keys', sources: ['BP-LB'] },
    payloadLimit: { support: 'yes', note: 'No message size limit: bytes are streamed', sources: ['BP-LB'] },
    timeoutLimit: {
      support: 'yes',
      note: 'Idle timeout TCP 350 s default (60–6,000 s); UDP 120 s and TLS 350 s fixed',
      sources: ['BP-LB'],
    },
    pricing: {
      support: 'yes',
      note: 'us-east-1: $0.0225/h + $0.006/NLCU-h',
      sources: ['ELB-PRICE'],
    },
  },
} satisfies Component;
