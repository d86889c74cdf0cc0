// The gateway: a node:http server (no framework) + undici pools, driven by edge.yaml.
// Pipeline per request: core guards → policies.preAuth → auth → postAuth → terminal | proxy.
import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { createAdminServer } from './admin.js';
import { kRawStatus, sendError, writeRawError } from './errors.js';
import { Exchange, type Core } from './exchange.js';
import { DEFAULT_HEALTH, HealthChecker, type HealthOptions } from './health.js';
import { accessWriter, silentLogger } from './logging.js';
import { GatewayMetrics } from './metrics.js';
import { compileRoute, Router } from './router.js';
import { TrustedProxies } from './trust.js';
import type { GatewayConfig, GatewayDeps, Policies, Stage } from './types.js';
import { DEFAULT_UPSTREAM, Upstreams, type Instance, type UpstreamOptions } from './upstream.js';

export interface GatewayOptions {
  policies?: (deps: GatewayDeps) => Policies | Promise<Policies>;
  /** Default: gateway.port from edge.yaml (0 = any free port). */
  port?: number;
  /** Default: listen.host from edge.yaml. */
  host?: string;
  /** Admin listener port on 127.0.0.1 (0 = any free port; the default). */
  adminPort?: number;
  health?: HealthOptions;
  /** Longest a drain waits for in-flight requests before cutting them. Default 25 000 ms. */
  drainMs?: number;
  /** Node's sweep for headers/request timeouts. Default 1000 ms (Node's own default is 30 s). */
  connectionsCheckingIntervalMs?: number;
  /** Default: a silent logger. */
  logger?: Logger;
  /** Access log (one line per request); false turns it off. Default: `logger`. */
  accessLog?: Logger | false;
  upstream?: Partial<UpstreamOptions> & {
    /** Idempotent requests with a declared body up to this size are buffered so they can be retried. Default 64 KiB. */
    retryBufferBytes?: number;
  };
  /** Open client connections, all peers. Default 10 000. */
  maxConnections?: number;
  /** Open client connections per client address (trusted proxies exempt). Default 256; 0 = no cap. */
  maxConnectionsPerIp?: number;
  /** Process metrics (CPU, memory, event loop) on /metrics. Default true. */
  processMetrics?: boolean;
}

export interface DrainResult {
  /** Requests still running at the deadline, cut off. 0 = a clean drain. */
  cut: number;
}

export interface Gateway {
  port: number;
  adminPort: number;
  server: Server;
  /** Health → 503, listener closed, in-flight requests finish, new requests on kept-alive sockets get 503 + Connection: close. */
  drain(): Promise<DrainResult>;
  close(): Promise<void>;
}

type TaggedResponse = ServerResponse & { [kRawStatus]?: number };

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

export async function createGateway(config: GatewayConfig, opts: GatewayOptions = {}): Promise<Gateway> {
  const log = opts.logger ?? silentLogger;
  const health = opts.health ?? DEFAULT_HEALTH;
  const upstreamOpts: UpstreamOptions = { ...DEFAULT_UPSTREAM, ...opts.upstream };
  const limits = config.limits;
  const upstreams = new Upstreams(config, upstreamOpts);
  const serviceIndex = new Map(upstreams.services.map((s, i) => [s.name, i]));
  const routes = config.routes.map((r, i) => {
    const svc = serviceIndex.get(r.service);
    if (svc === undefined) throw new Error(`route ${r.name}: unknown service ${r.service}`);
    return compileRoute(r, i, svc);
  });
  const metrics = new GatewayMetrics(
    routes.map((r) => r.config.name),
    upstreams,
    opts.processMetrics ?? true,
  );
  if (config.routes.some((r) => r.grpc) || config.services.some((s) => s.protocol === 'grpc')) {
    // node:http speaks HTTP/1.1 only: gRPC (HTTP/2 with trailers) needs Envoy in front instead.
    log.warn('gRPC routes are proxied as HTTP/1.1 (gRPC-Web works, native gRPC does not): use the Envoy target for gRPC');
  }
  const accessLog = opts.accessLog === false ? null : (opts.accessLog ?? log);
  const healthChecker = new HealthChecker(upstreams, health, log, upstreamOpts.ca);

  const core: Core = {
    router: new Router(routes),
    upstreams,
    metrics,
    log,
    routeLogs: routes.map((r) => log.child({ route: r.config.name })),
    accessLog: accessLog === null ? null : accessWriter(accessLog),
    trust: new TrustedProxies(config.trustedProxies),
    stages: [],
    terminal: undefined,
    hasPolicies: opts.policies !== undefined,
    draining: false,
    inflight: 0,
    onIdle: null,
    retryBufferBytes: opts.upstream?.retryBufferBytes ?? 64 * 1024,
    sendTimeoutMs: Math.round(limits.clientBodyTimeoutSeconds * 1000),
    noHealthyRetryAfter: String(Math.max(1, Math.ceil((health.intervalMs * health.rise) / 1000))),
    eject(inst: Instance) {
      if (!inst.healthy) return;
      inst.healthy = false;
      inst.passes = 0;
      inst.fails = Math.max(inst.fails, health.fall);
      log.warn({ service: inst.service.name, instance: inst.index }, 'upstream down (connection failed)');
      if (health.intervalMs <= 0) {
        // No active checks to re-admit it: nginx's fail_timeout behaviour.
        setTimeout(() => {
          inst.healthy = true;
        }, 10_000).unref();
      }
    },
  };

  const deps: GatewayDeps = {
    config,
    log,
    metrics: { count: (name, labels) => metrics.count(name, labels) },
    pick(service) {
      const svc = upstreams.byName.get(service);
      const inst = svc?.pick();
      if (svc === undefined || inst === undefined) return undefined;
      inst.outstanding++;
      svc.outstanding++;
      return inst.ref;
    },
    release(up) {
      const svc = upstreams.byName.get(up.service);
      const inst = svc?.instances[up.instance - 1];
      if (svc === undefined || inst === undefined || inst.outstanding <= 0) return;
      inst.outstanding--;
      svc.outstanding--;
    },
    sendError: (res, status, error, headers) => sendError(res, status, error, headers),
  };

  let policies: Policies | undefined;
  if (opts.policies) {
    try {
      policies = await opts.policies(deps);
    } catch (err) {
      await upstreams.close();
      throw err;
    }
    const stages: Stage[] = [...policies.preAuth, ...policies.auth, ...policies.postAuth];
    core.stages = stages;
    core.terminal = policies.terminal;
  } else if (config.routes.some((r) => r.auth !== 'none')) {
    log.error('no policies loaded: routes with auth answer 503 (fail closed)');
  }

  const server = createServer(
    {
      // Slowloris and slow bodies (security.md C12): both deadlines set, headersTimeout ≤ requestTimeout,
      // swept every connectionsCheckingInterval.
      headersTimeout: Math.round(limits.clientHeaderTimeoutSeconds * 1000),
      requestTimeout: Math.round((limits.clientHeaderTimeoutSeconds + limits.clientBodyTimeoutSeconds) * 1000),
      // Longer than the idle timeout of a load balancer in front (ALB: 60 s), or it races our close.
      keepAliveTimeout: Math.round(limits.idleTimeoutSeconds * 1000),
      connectionsCheckingInterval: opts.connectionsCheckingIntervalMs ?? 1000,
      maxHeaderSize: limits.headerKb * 1024,
      requireHostHeader: true,
      joinDuplicateHeaders: false,
      insecureHTTPParser: false,
      noDelay: true,
    },
    (req, res) => {
      new Exchange(core, req, res).run(false);
    },
  );
  server.maxConnections = opts.maxConnections ?? 10_000;

  // Expect: 100-continue — the 100 is sent only when the body is actually wanted (RFC 9110 §10.1.1),
  // so an oversized or refused upload is answered without being read.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const ex = new Exchange(core, req, res);
    ex.expectContinue = true;
    ex.run(false);
  });

  // CONNECT is never proxied (authority-form; RFC 9112 §3.2.3).
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    metrics.reject('connect');
    metrics.request(-1, 400);
    writeRawError(socket, 400, 'bad_request');
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const cl = req.headers['content-length'];
    if (req.headers['transfer-encoding'] !== undefined || (cl !== undefined && cl !== '0')) {
      metrics.reject('upgrade_with_body');
      metrics.request(-1, 400);
      writeRawError(socket, 400, 'bad_request');
      return;
    }
    // Answer through a ServerResponse so the guards, routing and proxy are the same code; the
    // connection closes afterwards (the HTTP parser is gone once Node reports an upgrade).
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.once('finish', () => (socket as Socket).end());
    const ex = new Exchange(core, req, res);
    const isWebSocket = (req.headers.upgrade ?? '').trim().toLowerCase() === 'websocket';
    const route = ex.run(isWebSocket);
    if (route === undefined) return; // answered (refused, or served as plain HTTP: RFC 9110 §7.8 lets us ignore Upgrade)
    if (policies?.upgrade === undefined) {
      sendError(res, 501, 'not_implemented', undefined, true);
      return;
    }
    ex.handOff();
    res.detachSocket(socket as Socket);
    policies.upgrade(req, socket, head, route.config, ex.clientIp);
  });

  // Malformed requests (Node's llhttp in strict mode): answered with the fixed body and closed.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const msg = (socket as unknown as { _httpMessage?: TaggedResponse })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || msg?.headersSent) {
      socket.destroy();
      return;
    }
    let status = 400;
    let wire: 'bad_request' | 'header_too_large' | 'request_timeout' | 'payload_too_large' = 'bad_request';
    if (err.code === 'HPE_HEADER_OVERFLOW') [status, wire] = [431, 'header_too_large'];
    else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') [status, wire] = [408, 'request_timeout'];
    else if (err.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') [status, wire] = [413, 'payload_too_large'];
    metrics.reject(wire);
    if (msg !== undefined) msg[kRawStatus] = status;
    else metrics.request(-1, status);
    writeRawError(socket, status, wire);
  });

  const perIp = new Map<string, number>();
  const maxPerIp = opts.maxConnectionsPerIp ?? 256;
  server.on('connection', (socket: Socket) => {
    if (maxPerIp <= 0) return;
    const ip = socket.remoteAddress ?? '';
    if (core.trust.has(ip)) return;
    const n = (perIp.get(ip) ?? 0) + 1;
    if (n > maxPerIp) {
      metrics.reject('connections_per_ip');
      socket.destroy();
      return;
    }
    perIp.set(ip, n);
    socket.once('close', () => {
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left <= 0) perIp.delete(ip);
      else perIp.set(ip, left);
    });
  });

  const admin = createAdminServer(core, metrics, upstreams);
  let port: number;
  let adminPort: number;
  try {
    port = await listen(server, opts.port ?? config.gateway.port, opts.host ?? config.listen.host);
    adminPort = await listen(admin, opts.adminPort ?? 0, '127.0.0.1');
  } catch (err) {
    server.close();
    admin.close();
    await policies?.close().catch(() => undefined);
    await upstreams.close();
    throw err;
  }
  // With compute: lambda the "services" are local functions the terminal policy invokes: no HTTP
  // instances to health-check.
  if (config.compute !== 'lambda') healthChecker.start();

  let drained: Promise<DrainResult> | undefined;
  let closed: Promise<void> | undefined;
  const drainMs = opts.drainMs ?? 25_000;

  const gateway: Gateway = {
    port,
    adminPort,
    server,
    drain() {
      drained ??= new Promise<DrainResult>((resolve) => {
        core.draining = true;
        log.info({ inflight: core.inflight, deadlineMs: drainMs }, 'draining');
        // Stop accepting, but keep idle keep-alive sockets: a request arriving on one is answered
        // 503 + Connection: close rather than reset (http.Server.close would drop them at once).
        NetServer.prototype.close.call(server);
        const finish = (cut: number): void => {
          clearTimeout(timer);
          core.onIdle = null;
          if (cut > 0) log.warn({ cut }, 'drain deadline: cutting requests still running');
          server.closeAllConnections();
          resolve({ cut });
        };
        const timer = setTimeout(() => finish(core.inflight), drainMs);
        if (core.inflight === 0) finish(0);
        else core.onIdle = () => finish(0);
      });
      return drained;
    },
    close() {
      closed ??= (async () => {
        core.draining = true;
        healthChecker.stop();
        server.close(); // also stops Node's connections-checking interval
        server.closeAllConnections();
        admin.close();
        admin.closeAllConnections();
        await policies?.close().catch((err: unknown) => log.error({ err }, 'policies close failed'));
        await upstreams.close();
      })();
      return closed;
    },
  };
  return gateway;
}
