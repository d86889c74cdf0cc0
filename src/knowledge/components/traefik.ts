// Traefik Proxy v3 (open source, not Traefik Hub). Facts: doc.traefik.io.
import type { Component } from '../types.js';

export default {
  id: 'traefik',
  name: 'Traefik Proxy v3 (open source)',
  kind: 'reverse-proxy',
  summary: 'Self-hosted, provider-driven proxy (Docker, Kubernetes): HTTP/TCP/UDP routers, middlewares incl. rate limits, sticky cookies; no response cache in OSS.',
  cells: {
    layer: { support: 'yes', note: 'L7 HTTP routers and L4 TCP/UDP routers', sources: ['TRAEFIK-DOCS'] },
    routing: {
      support: 'yes',
      note: 'Rules on Host, Path/PathPrefix/PathRegexp, Header, Method, Query, ClientIP; HostSNI for TCP; config from providers',
      sources: ['TRAEFIK-DOCS'],
    },
    auth: {
      support: 'partial',
      note: 'BasicAuth, DigestAuth, ForwardAuth and mTLS; JWT/OIDC/API-key middlewares are Traefik Hub (commercial)',
      sources: ['TRAEFIK-DOCS'],
    },
    rateLimit: {
      support: 'yes',
      note: 'rateLimit middleware (token bucket per source IP or header), optional Redis store for shared limits; inFlightReq',
      sources: ['TRAEFIK-RL'],
    },
    caching: { support: 'no', note: 'No response cache in open source (plugins or Traefik Hub)', sources: ['TRAEFIK-DOCS'] },
    transforms: {
      support: 'yes',
      note: 'Headers, AddPrefix/StripPrefix, ReplacePath(Regex), redirects; no body transforms',
      sources: ['TRAEFIK-DOCS'],
    },
    loadBalancing: {
      support: 'yes',
      note: 'Weighted round robin (default), power-of-two choices, highest random weight, least time; active + passive health checks; mirroring, failover',
      sources: ['TRAEFIK-LB'],
      correction: {
        seed: 'Reverse proxy: Load balancing ✅ (basic)',
        verdict: 'wrong',
        note: 'Traefik v3 offers four strategies, active and passive health checks, weighted, mirroring and failover services.',
      },
    },
    serverless: { support: 'no', note: 'No Lambda integration in open source', sources: ['TRAEFIK-DOCS'] },
    waf: { support: 'partial', note: 'No WAF built in; Coraza plugin, or Traefik Hub WAF', sources: ['CORAZA', 'TRAEFIK-DOCS'] },
    http: { support: 'yes', note: 'HTTP/1.1, HTTP/2 and HTTP/3; ACME certificates', sources: ['TRAEFIK-DOCS'] },
    websocket: { support: 'yes', note: 'Proxied without extra configuration', sources: ['TRAEFIK-DOCS'] },
    grpc: { support: 'yes', note: 'h2c or TLS HTTP/2 to backends carries gRPC', sources: ['TRAEFIK-DOCS'] },
    tcp: { support: 'yes', note: 'TCP routers and services', sources: ['TRAEFIK-DOCS'] },
    udp: { support: 'yes', note: 'UDP routers and services', sources: ['TRAEFIK-DOCS'] },
    staticIp: {
      support: 'yes',
      note: "Listens on your host's addresses: static if the host's are (e.g. an Elastic IP, or an NLB in front)",
      sources: ['TRAEFIK-DOCS'],
    },
    tlsPassthrough: { support: 'yes', note: 'TCP router with HostSNI and tls.passthrough', sources: ['TRAEFIK-DOCS'] },
    stickySessions: { support: 'yes', note: 'Sticky cookie per service', sources: ['TRAEFIK-LB'] },
    apiKeys: {
      support: 'partial',
      note: 'API keys and quotas are Traefik Hub; open source only via ForwardAuth or plugins',
      sources: ['TRAEFIK-DOCS'],
    },
    payloadLimit: {
      support: 'yes',
      note: 'No body limit by default; Buffering middleware sets maxRequestBodyBytes',
      sources: ['TRAEFIK-DOCS'],
    },
    timeoutLimit: {
      support: 'yes',
      note: 'Entry point readTimeout 60 s default in v3 (slow uploads); upstream responseHeaderTimeout off by default',
      sources: ['TRAEFIK-DOCS'],
    },
    pricing: { support: 'yes', note: 'Free (MIT); you pay for hosts and operations; Traefik Hub is commercial', sources: ['TRAEFIK-DOCS'] },
  },
} satisfies Component;
