// Kubernetes Gateway API (the spec; an implementation such as Envoy Gateway or NGINX Gateway Fabric runs it).
import type { Component } from '../types.js';

export default {
  id: 'gateway-api',
  name: 'Kubernetes Gateway API',
  kind: 'gateway',
  summary: 'Portable Kubernetes routing API (Gateway, HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute); auth, rate limits and caching are implementation-specific policies.',
  cells: {
    layer: {
      support: 'yes',
      note: 'L4 and L7 routing resources; the chosen implementation is the data plane',
      sources: ['GWAPI'],
    },
    routing: {
      support: 'yes',
      note: 'HTTPRoute (host, path, headers, query, method), GRPCRoute, TLSRoute (Standard 1.5), TCPRoute/UDPRoute (Standard 1.6)',
      sources: ['GWAPI', 'GWAPI-1.5', 'GWAPI-1.6'],
    },
    auth: {
      support: 'partial',
      note: 'Frontend client-certificate validation is Standard (1.5); HTTP external auth is experimental; JWT etc. are implementation policies',
      sources: ['GWAPI-1.5', 'GWAPI-EXP'],
    },
    rateLimit: {
      support: 'partial',
      note: 'Not in the spec; implementation-specific policies (e.g. Envoy Gateway BackendTrafficPolicy)',
      sources: ['GWAPI'],
    },
    caching: { support: 'no', note: 'Not in the spec; implementation-specific at best', sources: ['GWAPI'] },
    transforms: {
      support: 'yes',
      note: 'HTTPRoute filters: header modifiers, URL rewrite, redirect, mirror, CORS (Standard 1.5)',
      sources: ['GWAPI', 'GWAPI-1.5'],
    },
    loadBalancing: {
      support: 'partial',
      note: 'Weighted backendRefs split traffic; algorithms and health checks are implementation-specific',
      sources: ['GWAPI'],
    },
    serverless: { support: 'no', note: 'Backends are Kubernetes Services', sources: ['GWAPI'] },
    waf: { support: 'no', note: 'Not in the spec; implementation-specific', sources: ['GWAPI'] },
    http: { support: 'yes', note: 'HTTPRoute (Standard since 1.0)', sources: ['GWAPI'] },
    websocket: {
      support: 'partial',
      note: 'Upgrades pass through HTTPRoute in most implementations; not a spec guarantee',
      sources: ['GWAPI'],
    },
    grpc: { support: 'yes', note: 'GRPCRoute matches service and method (Standard)', sources: ['GWAPI'] },
    tcp: { support: 'yes', note: 'TCPRoute (Standard in 1.6); implementation support varies', sources: ['GWAPI-1.6'] },
    udp: { support: 'yes', note: 'UDPRoute (Standard in 1.6); implementation support varies', sources: ['GWAPI-1.6'] },
    staticIp: {
      support: 'partial',
      note: 'Gateway spec.addresses can request an address; honoured per implementation and cloud',
      sources: ['GWAPI'],
    },
    tlsPassthrough: { support: 'yes', note: 'TLSRoute on a Passthrough listener (Standard 1.5)', sources: ['GWAPI-1.5'] },
    stickySessions: {
      support: 'partial',
      note: 'Session persistence (GEP-1619) is experimental; otherwise implementation-specific',
      sources: ['GWAPI-EXP'],
    },
    apiKeys: { support: 'no', note: 'Not in the spec; implementation-specific', sources: ['GWAPI'] },
    payloadLimit: { support: 'n/a', note: 'Set by the implementation (often via its own policy)', sources: ['GWAPI'] },
    timeoutLimit: {
      support: 'yes',
      note: 'HTTPRoute timeouts.request and timeouts.backendRequest',
      sources: ['GWAPI'],
    },
    pricing: {
      support: 'yes',
      note: 'Free spec; cost is the implementation, the cluster and its cloud load balancer',
      sources: ['GWAPI'],
    },
  },
} satisfies Component;
