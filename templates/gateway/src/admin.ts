// The admin listener: /healthz, /metrics and /upstreams, bound to 127.0.0.1 only (Envoy's edge
// guide keeps its admin on loopback; security.md A11). The public port has none of these.
import { createServer, type Server } from 'node:http';
import { sendError } from './errors.js';
import type { GatewayMetrics } from './metrics.js';
import type { Upstreams } from './upstream.js';

export function createAdminServer(state: { readonly draining: boolean }, metrics: GatewayMetrics, upstreams: Upstreams): Server {
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 5_000 }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'method_not_allowed', { allow: 'GET, HEAD' });
      return;
    }
    const json = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    };
    if (path === '/healthz') {
      // Flips to 503 the moment a drain starts, so a load balancer stops sending new work.
      json(state.draining ? 503 : 200, { status: state.draining ? 'draining' : 'ok' });
    } else if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        () => sendError(res, 500, 'internal_error'),
      );
    } else if (path === '/upstreams') {
      json(
        200,
        upstreams.services.map((s) => ({
          service: s.name,
          outstanding: s.outstanding,
          limit: s.limit,
          instances: s.instances.map((i) => ({ instance: i.index, origin: i.origin, healthy: i.healthy, outstanding: i.outstanding })),
        })),
      );
    } else {
      sendError(res, 404, 'not_found');
    }
  });
  return server;
}
