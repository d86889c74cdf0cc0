// HAProxy community edition (not HAProxy Enterprise). Facts: HAProxy configuration manual.
import type { Component } from '../types.js';

export default {
  id: 'haproxy',
  name: 'HAProxy (community edition)',
  kind: 'reverse-proxy',
  summary: 'Self-hosted L4/L7 load balancer: rich balancing, active health checks, stick tables for affinity and rate limits; no UDP load balancing.',
  cells: {
    layer: { support: 'yes', note: 'L4 (mode tcp) and L7 (mode http)', sources: ['HAP-CONF'] },
    routing: {
      support: 'yes',
      note: 'ACLs on host, path, headers, method, SNI, source and more select backends',
      sources: ['HAP-CONF'],
    },
    auth: {
      support: 'yes',
      note: 'Basic auth (userlists), JWT signature checks (jwt_verify, 2.5+), mTLS; OIDC login needs Lua or an external agent',
      sources: ['HAP-CONF'],
    },
    rateLimit: {
      support: 'yes',
      note: 'Stick tables track request rates per IP, header or key; deny/tarpit over a limit; tables sync between peers',
      sources: ['HAP-CONF'],
    },
    caching: {
      support: 'partial',
      note: 'Small in-RAM cache (cache section) for small objects; not a disk cache',
      sources: ['HAP-CONF'],
    },
    transforms: {
      support: 'yes',
      note: 'Rewrite headers, path, query and status; body changes need Lua',
      sources: ['HAP-CONF'],
    },
    loadBalancing: {
      support: 'yes',
      note: 'roundrobin, static-rr, leastconn, first, source, uri, url_param, hdr, random, hash; active and passive health checks; slow start',
      sources: ['HAP-CONF'],
      correction: {
        seed: 'Reverse proxy: Load balancing ✅ (basic)',
        verdict: 'wrong',
        note: 'HAProxy is a full load balancer: ten algorithms, active/agent health checks, slow start, connection queueing.',
      },
    },
    serverless: { support: 'no', note: 'No Lambda integration', sources: ['HAP-CONF'] },
    waf: {
      support: 'partial',
      note: 'No WAF in the community edition; Coraza via SPOE, or HAProxy Enterprise WAF',
      sources: ['CORAZA'],
    },
    http: { support: 'yes', note: 'HTTP/1.1, HTTP/2 and HTTP/3 (QUIC listeners)', sources: ['HAP-CONF'] },
    websocket: { support: 'yes', note: 'Upgrades pass through; timeout tunnel governs idle sockets', sources: ['HAP-CONF'] },
    grpc: { support: 'yes', note: 'End-to-end HTTP/2 (proto h2) carries gRPC', sources: ['HAP-CONF'] },
    tcp: { support: 'yes', note: 'mode tcp proxies and balances any TCP protocol', sources: ['HAP-CONF'] },
    udp: {
      support: 'no',
      note: 'No UDP load balancing in the community edition (UDP only for QUIC listeners); UDP module is Enterprise',
      sources: ['HAP-CONF', 'HAP-ENT-UDP'],
    },
    staticIp: {
      support: 'yes',
      note: "Listens on your host's addresses: static if the host's are (e.g. an Elastic IP, or an NLB in front)",
      sources: ['HAP-CONF'],
    },
    tlsPassthrough: { support: 'yes', note: 'mode tcp with req.ssl_sni routes TLS without decrypting', sources: ['HAP-CONF'] },
    stickySessions: {
      support: 'yes',
      note: 'Inserted or prefixed cookies, or stick tables on source IP or any key',
      sources: ['HAP-CONF'],
    },
    apiKeys: {
      support: 'partial',
      note: 'Keys checked against maps; per-key rates in stick tables; no quotas or key management',
      sources: ['HAP-CONF'],
    },
    payloadLimit: {
      support: 'yes',
      note: 'Streams bodies with no size limit by default; headers must fit tune.bufsize (16 KB default)',
      sources: ['HAP-CONF'],
    },
    timeoutLimit: {
      support: 'yes',
      note: 'timeout server/client set per proxy, no built-in cap; timeout tunnel for WebSockets',
      sources: ['HAP-CONF'],
    },
    pricing: {
      support: 'yes',
      note: 'Free (GPLv2); you pay for hosts and operations; HAProxy Enterprise is commercial',
      sources: ['HAP-CONF'],
    },
  },
} satisfies Component;
