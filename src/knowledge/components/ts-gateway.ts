// edgewise's own generated TypeScript gateway (gateway/ in the starter): Fastify + undici.
import type { Component } from '../types.js';

export default {
  id: 'ts-gateway',
  name: 'edgewise TypeScript gateway',
  kind: 'gateway',
  summary: 'Generated Fastify + undici gateway you own as code: JWT and API keys with quotas, rate limits (memory or Redis), response cache, load balancing with health checks.',
  cells: {
    layer: { support: 'yes', note: 'L7 HTTP, runs as a Node.js process', sources: ['EDGEWISE-GW'] },
    routing: { support: 'yes', note: 'Routes by host, path prefix and method from edge.yaml', sources: ['EDGEWISE-GW'] },
    auth: { support: 'yes', note: 'JWT verification and API keys per route', sources: ['EDGEWISE-GW'] },
    rateLimit: {
      support: 'yes',
      note: 'Global or per-client limits; in-memory (one instance) or Redis (shared across instances)',
      sources: ['EDGEWISE-GW'],
    },
    caching: { support: 'yes', note: 'Response cache for cacheable GETs with per-route TTL', sources: ['EDGEWISE-GW'] },
    transforms: {
      support: 'partial',
      note: 'Header and path rewrites are code you edit; no declarative body templates',
      sources: ['EDGEWISE-GW'],
    },
    loadBalancing: {
      support: 'yes',
      note: 'Round robin or least outstanding requests, with active health checks',
      sources: ['EDGEWISE-GW'],
    },
    serverless: {
      support: 'partial',
      note: 'Local Lambda emulation for development; on AWS put API Gateway or ALB in front of functions',
      sources: ['EDGEWISE-GW'],
    },
    waf: { support: 'no', note: 'No WAF; put CloudFront + AWS WAF or a WAF proxy in front', sources: ['EDGEWISE-GW'] },
    http: { support: 'yes', note: 'HTTP/1.1 proxying through undici', sources: ['EDGEWISE-GW'] },
    websocket: { support: 'yes', note: 'Proxies WebSocket upgrades', sources: ['EDGEWISE-GW'] },
    grpc: { support: 'no', note: 'No end-to-end HTTP/2, so no gRPC; use Envoy or ALB', sources: ['EDGEWISE-GW'] },
    tcp: { support: 'no', note: 'HTTP only', sources: ['EDGEWISE-GW'] },
    udp: { support: 'no', note: 'HTTP only', sources: ['EDGEWISE-GW'] },
    staticIp: {
      support: 'yes',
      note: "Listens on your host's addresses: static if the host's are (e.g. an Elastic IP, or an NLB in front)",
      sources: ['EDGEWISE-GW'],
    },
    tlsPassthrough: { support: 'no', note: 'Terminates TLS (or runs behind a TLS terminator)', sources: ['EDGEWISE-GW'] },
    stickySessions: { support: 'no', note: 'No session affinity; keep state out of instances', sources: ['EDGEWISE-GW'] },
    apiKeys: { support: 'yes', note: 'API keys with per-key quotas', sources: ['EDGEWISE-GW'] },
    payloadLimit: {
      support: 'yes',
      note: 'Body limit configurable (Fastify default 1 MiB)',
      sources: ['EDGEWISE-GW', 'FASTIFY'],
    },
    timeoutLimit: { support: 'yes', note: 'Upstream timeout configurable per route; no platform cap', sources: ['EDGEWISE-GW'] },
    pricing: { support: 'yes', note: 'Free generated code; you pay for the compute it runs on', sources: ['EDGEWISE-GW'] },
  },
} satisfies Component;
