// Caddy v2, standard build (no plugins). Facts: caddyserver.com docs; plugins named where they fill gaps.
import type { Component } from '../types.js';

export default {
  id: 'caddy',
  name: 'Caddy (standard build)',
  kind: 'reverse-proxy',
  summary: 'Self-hosted HTTP server and reverse proxy with automatic HTTPS, active and passive health checks; rate limits, caching and L4 need plugins.',
  cells: {
    layer: { support: 'yes', note: 'L7 HTTP; L4 only with the layer4 plugin', sources: ['CADDY-RP', 'CADDY-L4'] },
    routing: {
      support: 'yes',
      note: 'Matchers on host, path, headers, method, query, client IP and CEL expressions',
      sources: ['CADDY-DOCS'],
    },
    auth: {
      support: 'partial',
      note: 'basic_auth, forward_auth and mTLS built in; JWT/OIDC need plugins',
      sources: ['CADDY-DOCS'],
    },
    rateLimit: {
      support: 'partial',
      note: 'Not in the standard build; the caddy-ratelimit plugin adds it',
      sources: ['CADDY-RL'],
    },
    caching: {
      support: 'partial',
      note: 'No response cache in the standard build; cache-handler plugin',
      sources: ['CADDY-CACHE'],
    },
    transforms: {
      support: 'yes',
      note: 'Header up/down, rewrite, uri strip/replace; body replacement needs a plugin',
      sources: ['CADDY-RP', 'CADDY-DOCS'],
    },
    loadBalancing: {
      support: 'yes',
      note: 'random, round_robin, weighted_round_robin, least_conn, first, ip/uri/header/cookie/query hash; active + passive health checks; retries',
      sources: ['CADDY-RP'],
      correction: {
        seed: 'Reverse proxy: Load balancing ✅ (basic)',
        verdict: 'wrong',
        note: 'Caddy ships a dozen selection policies plus active and passive health checks and retries.',
      },
    },
    serverless: { support: 'no', note: 'No Lambda integration', sources: ['CADDY-RP'] },
    waf: { support: 'partial', note: 'No WAF built in; the Coraza plugin adds one', sources: ['CORAZA'] },
    http: { support: 'yes', note: 'HTTP/1.1, HTTP/2 and HTTP/3 on by default; automatic HTTPS certificates', sources: ['CADDY-DOCS'] },
    websocket: { support: 'yes', note: 'Upgrades are proxied automatically', sources: ['CADDY-RP'] },
    grpc: { support: 'yes', note: 'HTTP/2 transport (h2c or TLS) carries gRPC', sources: ['CADDY-RP'] },
    tcp: { support: 'partial', note: 'Only with the layer4 plugin', sources: ['CADDY-L4'] },
    udp: { support: 'partial', note: 'Only with the layer4 plugin', sources: ['CADDY-L4'] },
    staticIp: {
      support: 'yes',
      note: "Listens on your host's addresses: static if the host's are (e.g. an Elastic IP, or an NLB in front)",
      sources: ['CADDY-DOCS'],
    },
    tlsPassthrough: { support: 'partial', note: 'SNI routing without decryption only with the layer4 plugin', sources: ['CADDY-L4'] },
    stickySessions: { support: 'yes', note: 'cookie selection policy, or ip/header hashing', sources: ['CADDY-RP'] },
    apiKeys: {
      support: 'partial',
      note: 'Header matchers can gate on a key; no quotas or key management',
      sources: ['CADDY-DOCS'],
    },
    payloadLimit: {
      support: 'yes',
      note: 'No body limit by default; request_body max_size sets one',
      sources: ['CADDY-DOCS'],
    },
    timeoutLimit: {
      support: 'yes',
      note: 'No default cap on upstream responses; dial, header and read timeouts configurable per transport',
      sources: ['CADDY-RP'],
    },
    pricing: { support: 'yes', note: 'Free (Apache-2.0); you pay for hosts and operations', sources: ['CADDY-DOCS'] },
  },
} satisfies Component;
