// Classic Load Balancer: previous generation, shown for comparison only. Facts: aws-facts.md §2.1, §2.3.
import type { Component } from '../types.js';

export default {
  id: 'clb',
  name: 'Classic Load Balancer (CLB)',
  kind: 'load-balancer',
  legacy: true,
  summary: 'Previous-generation ELB (L4/L7, EC2 instances only); AWS publishes a migration path to ALB or NLB. Never recommended.',
  cells: {
    layer: { support: 'yes', note: 'L4/L7: TCP, SSL/TLS, HTTP and HTTPS listeners', sources: ['ELB-FEAT'] },
    routing: { support: 'no', note: 'No host or path routing; one set of instances per load balancer', sources: ['ELB-FEAT', 'CLB-MIG'] },
    auth: { support: 'no', note: 'SSL offload only; no user, token or client-certificate auth', sources: ['ELB-FEAT'] },
    rateLimit: { support: 'no', note: 'None; AWS WAF cannot attach', sources: ['WAF-RES'] },
    caching: { support: 'no', note: 'No cache', sources: ['ELB-FEAT'] },
    transforms: { support: 'no', note: 'Adds X-Forwarded-* headers or Proxy Protocol only', sources: ['ELB-FEAT'] },
    loadBalancing: {
      support: 'yes',
      note: 'Across registered EC2 instances with health checks; no target groups',
      sources: ['ELB-FEAT', 'CLB-MIG'],
    },
    serverless: { support: 'no', note: 'EC2 instances only; no Lambda or IP targets', sources: ['ELB-FEAT', 'CLB-MIG'] },
    waf: {
      support: 'no',
      note: 'AWS WAF cannot attach',
      sources: ['WAF-RES'],
      correction: {
        seed: 'ELB: Security / WAF ✅ via AWS WAF integration',
        verdict: 'oversimplified',
        note: 'Only ALB takes AWS WAF; NLB and CLB cannot.',
      },
    },
    http: { support: 'yes', note: 'HTTP and HTTPS listeners', sources: ['ELB-FEAT'] },
    websocket: { support: 'partial', note: 'Only through TCP/SSL listeners', sources: ['ELB-FEAT'] },
    grpc: { support: 'no', note: 'No HTTP/2 or gRPC', sources: ['ELB-FEAT', 'CLB-MIG'] },
    tcp: { support: 'yes', note: 'TCP and SSL listeners', sources: ['ELB-FEAT'] },
    udp: { support: 'no', note: 'No UDP', sources: ['ELB-FEAT'] },
    staticIp: { support: 'no', note: 'DNS name only', sources: ['CLB-MIG'] },
    tlsPassthrough: { support: 'yes', note: 'TCP listener passes TLS through', sources: ['ELB-FEAT'] },
    stickySessions: { support: 'yes', note: 'Load-balancer (AWSELB) or application cookie', sources: ['ELB-FEAT'] },
    apiKeys: { support: 'no', note: 'No API keys', sources: ['ELB-FEAT'] },
    payloadLimit: { support: 'yes', note: 'No body size limit', sources: ['ELB-FEAT'] },
    timeoutLimit: { support: 'yes', note: 'Idle timeout 60 s default (1–3,600 s)', sources: ['CLB-IDLE'] },
    pricing: { support: 'yes', note: 'us-east-1: $0.025/h + $0.008/GB processed', sources: ['ELB-PRICE'] },
  },
} satisfies Component;
