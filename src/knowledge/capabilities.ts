// Labels for the comparison table's rows, in one place so compare, docs and the engine agree.
import type { CapabilityId } from './types.js';

export const CAPABILITY_LABELS: Readonly<Record<CapabilityId, string>> = {
  layer: 'Layer',
  routing: 'Routing',
  auth: 'Authentication & authz',
  rateLimit: 'Rate limiting / throttling',
  caching: 'Response caching',
  transforms: 'Request/response transforms',
  loadBalancing: 'Load balancing',
  serverless: 'Serverless integration',
  waf: 'Security / WAF',
  http: 'HTTP',
  websocket: 'WebSocket',
  grpc: 'gRPC',
  tcp: 'TCP',
  udp: 'UDP',
  staticIp: 'Static IP',
  tlsPassthrough: 'TLS passthrough',
  stickySessions: 'Sticky sessions',
  apiKeys: 'API keys / usage quotas',
  payloadLimit: 'Payload limit',
  timeoutLimit: 'Timeout limit',
  pricing: 'Pricing',
};
