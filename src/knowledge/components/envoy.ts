// Envoy proxy (upstream releases). Extension maturity from Envoy's extension status list.
import type { Component } from '../types.js';

export default {
  id: 'envoy',
  name: 'Envoy',
  kind: 'reverse-proxy',
  summary: 'Self-hosted L4/L7 proxy built for service meshes and gateways: advanced balancing, JWT and external authz, local/global rate limits; no production-ready cache.',
  cells: {
    layer: { support: 'yes', note: 'L4 (TCP/UDP proxy) and L7 (HTTP filter chain)', sources: ['ENVOY-DOCS'] },
    routing: {
      support: 'yes',
      note: 'Host, path (prefix/exact/regex), headers, query, gRPC service/method; weighted clusters and mirroring',
      sources: ['ENVOY-DOCS', 'ENVOY-ROUTE'],
    },
    auth: {
      support: 'yes',
      note: 'jwt_authn, ext_authz, OAuth2 and RBAC filters (stable), mTLS; basic auth is alpha',
      sources: ['ENVOY-DOCS', 'ENVOY-EXT'],
    },
    rateLimit: {
      support: 'yes',
      note: 'Local token-bucket limits per instance and global limits via an external rate limit service',
      sources: ['ENVOY-DOCS', 'ENVOY-EXT'],
    },
    caching: {
      support: 'no',
      note: 'HTTP cache filter exists but is work-in-progress, not for production',
      sources: ['ENVOY-EXT'],
    },
    transforms: {
      support: 'yes',
      note: 'Header add/remove, prefix/regex rewrite, Lua, Wasm, ext_proc, gRPC-JSON transcoding',
      sources: ['ENVOY-DOCS', 'ENVOY-EXT'],
    },
    loadBalancing: {
      support: 'yes',
      note: 'Weighted round robin, least request, ring hash, Maglev, random; zone-aware; outlier detection; active health checks; circuit breaking',
      sources: ['ENVOY-LB'],
      correction: {
        seed: 'Reverse proxy: Load balancing ✅ (basic)',
        verdict: 'wrong',
        note: 'Envoy balancing (least request, ring hash, Maglev, zone-aware, outlier detection) is richer than ALB.',
      },
    },
    serverless: {
      support: 'partial',
      note: 'aws_lambda filter (stable) invokes functions with SigV4; you manage credentials and payload shape',
      sources: ['ENVOY-EXT'],
      correction: {
        seed: 'Reverse proxy: Integration with serverless ❌',
        verdict: 'oversimplified',
        note: 'True for most proxies, but Envoy has a stable AWS Lambda filter.',
      },
    },
    waf: {
      support: 'partial',
      note: 'No WAF built in; Coraza via proxy-wasm, or an external WAF through ext_authz/ext_proc',
      sources: ['CORAZA', 'ENVOY-EXT'],
    },
    http: { support: 'yes', note: 'HTTP/1.1, HTTP/2 and HTTP/3 downstream and upstream', sources: ['ENVOY-DOCS'] },
    websocket: { support: 'yes', note: 'Enabled per route with upgrade_configs', sources: ['ENVOY-DOCS'] },
    grpc: { support: 'yes', note: 'First-class: gRPC routing, health checks, gRPC-Web and JSON transcoding', sources: ['ENVOY-DOCS', 'ENVOY-EXT'] },
    tcp: { support: 'yes', note: 'tcp_proxy network filter', sources: ['ENVOY-EXT'] },
    udp: { support: 'yes', note: 'udp_proxy listener filter', sources: ['ENVOY-EXT'] },
    staticIp: {
      support: 'yes',
      note: "Listens on your host's addresses: static if the host's are (e.g. an Elastic IP, or an NLB in front)",
      sources: ['ENVOY-DOCS'],
    },
    tlsPassthrough: { support: 'yes', note: 'tls_inspector reads SNI, tcp_proxy forwards without decrypting', sources: ['ENVOY-EXT'] },
    stickySessions: {
      support: 'yes',
      note: 'stateful_session filter (cookie or header), or ring hash/Maglev on a cookie',
      sources: ['ENVOY-EXT', 'ENVOY-LB'],
    },
    apiKeys: {
      support: 'partial',
      note: 'api_key_auth filter (alpha); quotas only via an external rate limit service',
      sources: ['ENVOY-EXT'],
    },
    payloadLimit: {
      support: 'yes',
      note: 'Streams bodies with no size cap by default; buffer filter sets max_request_bytes when buffering',
      sources: ['ENVOY-EXT'],
    },
    timeoutLimit: {
      support: 'yes',
      note: 'Route timeout 15 s by default (0 disables), configurable per route',
      sources: ['ENVOY-ROUTE'],
    },
    pricing: { support: 'yes', note: 'Free (Apache-2.0, CNCF graduated); you pay for hosts and operations', sources: ['ENVOY-DOCS'] },
  },
} satisfies Component;
