// nginx open source (not NGINX Plus). Facts checked against nginx.org docs; see sources.ts.
import type { Component } from '../types.js';

export default {
  id: 'nginx',
  name: 'nginx (open source)',
  kind: 'reverse-proxy',
  summary: 'Self-hosted web server and reverse proxy: HTTP routing, caching, rate limits, TCP/UDP stream proxying; active health checks and JWT auth are NGINX Plus.',
  cells: {
    layer: { support: 'yes', note: 'L7 (http module) and L4 TCP/UDP (stream module)', sources: ['NGX-LB', 'NGX-STREAM'] },
    routing: {
      support: 'yes',
      note: 'Host (server_name), path (prefix/regex location), headers and arguments via map',
      sources: ['NGX-CORE'],
    },
    auth: {
      support: 'partial',
      note: 'Basic auth, auth_request to an external auth service, mTLS; JWT validation (auth_jwt) is NGINX Plus',
      sources: ['NGX-AUTHREQ', 'NGX-PLUS'],
    },
    rateLimit: {
      support: 'yes',
      note: 'limit_req (per key, leaky bucket) and limit_conn; counters are per instance',
      sources: ['NGX-LIMIT'],
    },
    caching: { support: 'yes', note: 'proxy_cache on disk with keys, TTLs and stale serving', sources: ['NGX-CACHE'] },
    transforms: {
      support: 'yes',
      note: 'Header set/hide, URI rewrite, redirects; body substitution with sub_filter (module built optionally)',
      sources: ['NGX-CACHE', 'NGX-CORE'],
    },
    loadBalancing: {
      support: 'yes',
      note: 'Weighted round robin, least_conn, ip_hash, hash (consistent), random two; passive checks (max_fails/fail_timeout); active checks are Plus',
      sources: ['NGX-LB', 'NGX-PLUS'],
      correction: {
        seed: 'Reverse proxy: Load balancing ✅ (basic)',
        verdict: 'wrong',
        note: 'nginx OSS alone offers five balancing methods including consistent hashing and power-of-two random, with passive health checks.',
      },
    },
    serverless: {
      support: 'no',
      note: 'Cannot invoke Lambda; can proxy to Lambda function URLs as plain HTTPS',
      sources: ['NGX-LB'],
    },
    waf: {
      support: 'partial',
      note: 'No WAF built in; add the ModSecurity connector (third party) or a commercial F5 WAF',
      sources: ['MODSEC-NGX', 'NGX-PLUS'],
    },
    http: { support: 'yes', note: 'HTTP/1.1, HTTP/2 and HTTP/3; HTTP/2 to upstreams in 1.30', sources: ['NGX-CORE', 'NGX-CHANGES'] },
    websocket: { support: 'yes', note: 'Proxies Upgrade when the Upgrade/Connection headers are passed on', sources: ['NGX-CACHE'] },
    grpc: { support: 'yes', note: 'grpc_pass proxies gRPC over HTTP/2', sources: ['NGX-GRPC'] },
    tcp: { support: 'yes', note: 'stream module proxies and balances TCP', sources: ['NGX-STREAM'] },
    udp: { support: 'yes', note: 'stream module proxies and balances UDP (e.g. DNS)', sources: ['NGX-STREAM'] },
    staticIp: {
      support: 'yes',
      note: "Listens on your host's addresses: static if the host's are (e.g. an Elastic IP, or an NLB in front)",
      sources: ['NGX-CORE'],
    },
    tlsPassthrough: {
      support: 'yes',
      note: 'stream + ssl_preread routes on SNI without decrypting',
      sources: ['NGX-STREAM'],
    },
    stickySessions: {
      support: 'yes',
      note: 'ip_hash/hash; sticky cookie/route/learn in open source since 1.29.6 (2026, stable 1.30), Plus-only before',
      sources: ['NGX-LB', 'NGX-CHANGES'],
    },
    apiKeys: {
      support: 'partial',
      note: 'Keys checked with map or auth_request; per-key limits with limit_req; no quotas or key management',
      sources: ['NGX-LIMIT', 'NGX-AUTHREQ'],
    },
    payloadLimit: {
      support: 'yes',
      note: 'client_max_body_size 1 MB by default (413 above), configurable, 0 disables',
      sources: ['NGX-CORE'],
    },
    timeoutLimit: {
      support: 'yes',
      note: 'proxy_read_timeout 60 s between reads by default, configurable; no hard cap',
      sources: ['NGX-CACHE'],
    },
    pricing: {
      support: 'yes',
      note: 'Free (BSD-2-Clause); you pay for hosts and operations; NGINX Plus is a paid subscription',
      sources: ['NGX-PLUS'],
    },
  },
} satisfies Component;
