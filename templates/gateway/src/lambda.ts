// Local Lambda functions (`compute: lambda`): the route's service names a function whose handler is
// `functions/<service>/index.ts` under the project root (the directory of edge.yaml). The module is
// imported once and cached. Each request becomes an API Gateway proxy event in
// `gateway.lambdaEventFormat` (default 2.0, see lambda-events.ts); the result is mapped back.
// A handler that throws or returns a malformed result → 502 `bad_gateway`; one that takes longer than
// `route.timeoutSeconds` → 504 `gateway_timeout` (the function keeps running: a process cannot
// stop a promise). Request bodies are limited to `route.bodyLimitMb` (413), responses to 6 MB.
// WebSocket routes call the same function with $connect (a non-2xx result refuses the upgrade with
// that status), $default per message (a returned body is sent back to the client — API Gateway's
// two-way route) and $disconnect.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';
import { writeRawError } from './errors.js';
import { httpEvent, httpResult, wsEvent, type EventFormat } from './lambda-events.js';
import { DEFAULTS, PolicyError, type PolicyOptions } from './policies-shared.js';
import { normalizeTarget, type Target } from './target.js';
import { admitUpgrade, originSet, type UpgradePolicies } from './websocket.js';
import type { GatewayDeps, RequestContext, RouteConfig, Stage } from './types.js';

export type LambdaHandler = (event: Record<string, unknown>, context: Record<string, unknown>) => unknown;

const NAME_RE = /^[a-z][a-z0-9-]{0,40}[a-z0-9]$|^[a-z]$/;

class Timeout extends Error {}

function lambdaContext(functionName: string, requestId: string, deadline: number): Record<string, unknown> {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

export interface LambdaRuntime {
  stage: Stage;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, route: RouteConfig, clientIp: string): void;
  /** Imports every routed function now (startup fails early on a missing handler). */
  preload(): Promise<void>;
  close(): Promise<void>;
}

export function createLambdaRuntime(deps: GatewayDeps, policies: UpgradePolicies, opts: PolicyOptions = {}): LambdaRuntime {
  const config = deps.config;
  const format: EventFormat = config.gateway.lambdaEventFormat ?? '2.0';
  const root = resolve(opts.root ?? config.root ?? process.cwd());
  const maxResponse = opts.lambda?.maxResponseBytes ?? DEFAULTS.lambdaMaxResponseBytes;
  const log = deps.log.child({ policy: 'lambda' });
  const modules = new Map<string, Promise<LambdaHandler>>();
  const sockets = new Set<WebSocket>();
  const allowed = originSet(config.gateway.allowedOrigins ?? []);
  let closing = false;

  const load = (service: string): Promise<LambdaHandler> => {
    let p = modules.get(service);
    if (p === undefined) {
      p = (async () => {
        if (!NAME_RE.test(service)) throw new PolicyError('EW_GW_LAMBDA_HANDLER', `invalid function name ${service}`);
        const dir = join(root, 'functions', service);
        const file = ['index.ts', 'index.mts', 'index.js', 'index.mjs'].map((f) => join(dir, f)).find((f) => existsSync(f));
        if (file === undefined) throw new PolicyError('EW_GW_LAMBDA_HANDLER', `functions/${service}/index.ts not found under ${root}`);
        const mod = (await import(pathToFileURL(file).href)) as { handler?: unknown; default?: { handler?: unknown } };
        const handler = mod.handler ?? mod.default?.handler;
        if (typeof handler !== 'function') throw new PolicyError('EW_GW_LAMBDA_HANDLER', `functions/${service}/index.ts does not export a handler function`);
        return handler as LambdaHandler;
      })();
      // A failed import is retried on the next request (the file may be fixed meanwhile).
      p.catch(() => modules.delete(service));
      modules.set(service, p);
    }
    return p;
  };

  /** Invokes with a deadline; rejects with Timeout after `timeoutMs`. */
  const invoke = async (route: RouteConfig, event: Record<string, unknown>, requestId: string): Promise<unknown> => {
    const handler = await load(route.service);
    const timeoutMs = Math.round(route.timeoutSeconds * 1000);
    const deadline = Date.now() + timeoutMs;
    const context = lambdaContext(`${config.name}-${route.service}`, requestId, deadline);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        Promise.resolve().then(() => handler(event, context)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Timeout()), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  const readBody = (req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | 'too_large' | 'aborted'> =>
    new Promise((done) => {
      const declared = Number(req.headers['content-length'] ?? '0');
      if (declared > limit) {
        done('too_large');
        return;
      }
      // RFC 9110 §10.1.1: the client waits for 100 Continue before sending the body.
      if (req.headers.expect?.toLowerCase() === '100-continue' && !res.headersSent) res.writeContinue();
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const finish = (v: Buffer | 'too_large' | 'aborted'): void => {
        if (settled) return;
        settled = true;
        req.off('data', onData);
        done(v);
      };
      const onData = (c: Buffer): void => {
        size += c.length;
        if (size > limit) finish('too_large');
        else chunks.push(c);
      };
      req.on('data', onData);
      req.once('end', () => finish(Buffer.concat(chunks, size)));
      req.once('error', () => finish('aborted'));
      req.once('close', () => finish(req.complete ? Buffer.concat(chunks, size) : 'aborted'));
    });

  const handleHttp = async (ctx: RequestContext): Promise<boolean> => {
    const { req, res, route } = ctx;
    const body = await readBody(req, res, Math.floor(route.bodyLimitMb * 1024 * 1024));
    if (body === 'aborted') {
      res.destroy();
      return true;
    }
    if (body === 'too_large') {
      deps.sendError(res, 413, 'payload_too_large', { connection: 'close' });
      return true;
    }
    const requestId = randomUUID();
    const query = ctx.query.startsWith('?') ? ctx.query.slice(1) : ctx.query;
    const event = httpEvent({ format, method: req.method ?? 'GET', path: ctx.path, query, rawHeaders: lambdaHeaders(req.rawHeaders, ctx.addHeaders), body, clientIp: ctx.clientIp, route, identity: ctx.identity, apiId: config.name, requestId, now: Date.now() });
    let result: unknown;
    try {
      result = await invoke(route, event, requestId);
    } catch (err) {
      if (err instanceof Timeout) {
        log.warn({ route: route.name, fn: route.service, requestId }, 'function timed out');
        deps.metrics.count('lambda_timeout', { route: route.name });
        deps.sendError(res, 504, 'gateway_timeout');
      } else {
        log.error({ err, route: route.name, fn: route.service, requestId }, 'function failed');
        deps.metrics.count('lambda_error', { route: route.name });
        deps.sendError(res, 502, 'bad_gateway');
      }
      return true;
    }
    let mapped;
    try {
      mapped = httpResult(format, result, maxResponse);
    } catch (err) {
      log.error({ err, route: route.name, fn: route.service, requestId }, 'function returned a malformed response');
      deps.sendError(res, 502, 'bad_gateway');
      return true;
    }
    if (res.headersSent || res.destroyed) return true;
    const headers = applyResponseTransform(mapped.headers, route);
    if (ctx.responseHeaders !== undefined) headers.push(...ctx.responseHeaders);
    headers.push('content-length', String(mapped.body.length));
    try {
      res.writeHead(mapped.status, headers);
      res.end(req.method === 'HEAD' || mapped.status === 204 || mapped.status === 304 ? undefined : mapped.body);
    } catch (err) {
      log.error({ err, route: route.name }, 'cannot write function response');
      res.destroy();
    }
    return true;
  };

  const stage: Stage = {
    name: 'lambda',
    handle(ctx) {
      return handleHttp(ctx);
    },
  };

  // ---- WebSocket routes -------------------------------------------------------------------------
  const wssByRoute = new Map<string, WebSocketServer>();
  const wssFor = (route: RouteConfig): WebSocketServer => {
    let wss = wssByRoute.get(route.name);
    if (wss === undefined) {
      wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: Math.floor(route.bodyLimitMb * 1024 * 1024) });
      wssByRoute.set(route.name, wss);
    }
    return wss;
  };

  const connectionId = (): string => randomBytes(12).toString('base64');

  const upgradeLambda = async (req: IncomingMessage, socket: Duplex, head: Buffer, route: RouteConfig, clientIp: string): Promise<void> => {
    const admitted = await admitUpgrade(req, socket, route, clientIp, policies, allowed, deps);
    if (admitted === null) return;
    const target: Target = { path: '/', query: '' };
    if (!normalizeTarget(req.url ?? '/', target)) {
      writeRawError(socket, 400, 'bad_request');
      return;
    }
    const id = connectionId();
    const connectedAt = Date.now();
    const base = { connectionId: id, connectedAt, clientIp, apiId: config.name, host: req.headers.host, userAgent: req.headers['user-agent'], identity: admitted.identity };
    const requestId = randomUUID();
    let connectResult: unknown;
    try {
      connectResult = await invoke(route, wsEvent({ ...base, eventType: 'CONNECT', requestId, now: Date.now(), rawHeaders: req.rawHeaders, query: target.query }), requestId);
    } catch (err) {
      const timeout = err instanceof Timeout;
      log[timeout ? 'warn' : 'error']({ err: timeout ? undefined : err, route: route.name }, '$connect failed');
      writeRawError(socket, timeout ? 504 : 502, timeout ? 'gateway_timeout' : 'bad_gateway');
      return;
    }
    const status = typeof connectResult === 'object' && connectResult !== null ? (connectResult as { statusCode?: unknown }).statusCode : undefined;
    // API Gateway: $connect succeeds with a 2xx integration response; anything else refuses the connection.
    if (connectResult !== undefined && connectResult !== null && (typeof status !== 'number' || status < 200 || status > 299)) {
      const code = typeof status === 'number' && status >= 400 && status <= 599 ? status : 502;
      writeRawError(socket, code, code === 401 ? 'unauthorized' : code === 403 ? 'forbidden' : code >= 500 ? 'bad_gateway' : 'connection_refused');
      return;
    }
    if (socket.destroyed || closing) {
      if (!socket.destroyed) writeRawError(socket, 503, 'draining');
      return;
    }
    wssFor(route).handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      deps.metrics.count('websocket_open', { route: route.name });
      let chain: Promise<void> = Promise.resolve();
      let queued = 0;
      const idle = setTimeout(() => ws.close(1001, 'idle timeout'), opts.websocket?.idleTimeoutMs ?? DEFAULTS.wsIdleTimeoutMs);
      idle.unref();
      ws.on('message', (data, isBinary) => {
        idle.refresh();
        // Messages are handled in order; a client that outruns its function is told to back off.
        if (++queued > 100) {
          ws.close(1013, 'try again later');
          return;
        }
        const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
        chain = chain.then(async () => {
          const rid = randomUUID();
          try {
            const out = await invoke(route, wsEvent({ ...base, eventType: 'MESSAGE', requestId: rid, now: Date.now(), message: { data: buf, isBinary, messageId: randomBytes(8).toString('base64') } }), rid);
            const body = typeof out === 'string' ? out : typeof out === 'object' && out !== null ? (out as { body?: unknown }).body : undefined;
            if (typeof body === 'string' && ws.readyState === WebSocket.OPEN) ws.send(body);
          } catch (err) {
            log.error({ err: err instanceof Timeout ? 'timeout' : err, route: route.name }, '$default failed');
            // API Gateway answers a failed integration with an error message on the socket.
            if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ message: 'Internal server error', connectionId: id, requestId: rid }));
          } finally {
            queued--;
          }
        });
      });
      ws.on('error', (err) => log.debug({ err: err.message }, 'websocket client error'));
      ws.on('close', (code, reason) => {
        clearTimeout(idle);
        sockets.delete(ws);
        const rid = randomUUID();
        void chain.then(() =>
          invoke(route, wsEvent({ ...base, eventType: 'DISCONNECT', requestId: rid, now: Date.now(), disconnect: { statusCode: code, reason: reason.toString('utf8') } }), rid).catch((err: unknown) =>
            log.warn({ err: err instanceof Timeout ? 'timeout' : err, route: route.name }, '$disconnect failed'),
          ),
        );
      });
    });
  };

  return {
    stage,
    upgrade(req, socket, head, route, clientIp) {
      if (closing) {
        writeRawError(socket, 503, 'draining');
        return;
      }
      socket.on('error', () => undefined);
      upgradeLambda(req, socket, head, route, clientIp).catch((err: unknown) => {
        log.error({ err }, 'websocket upgrade failed');
        writeRawError(socket, 500, 'internal_error');
      });
    },
    async preload() {
      const services = new Set(config.routes.map((r) => r.service));
      await Promise.all([...services].map((s) => load(s)));
    },
    async close() {
      closing = true;
      const all = [...sockets];
      await new Promise<void>((done) => {
        if (all.length === 0) {
          done();
          return;
        }
        let left = all.length;
        const t = setTimeout(done, opts.websocket?.closeGraceMs ?? DEFAULTS.wsCloseGraceMs);
        for (const ws of all) {
          ws.once('close', () => {
            if (--left === 0) {
              clearTimeout(t);
              done();
            }
          });
          ws.close(1001, 'going away');
        }
      });
      for (const ws of sockets) ws.terminate();
      for (const wss of wssByRoute.values()) wss.close();
    },
  };
}

/** The request headers a function sees: the client's, minus gateway-owned ones, plus verified identity headers. */
function lambdaHeaders(raw: string[], add: Record<string, string>): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (/^(x-user-|x-auth-|x-gateway-|x-internal-)/.test(name) || name.includes('_')) continue;
    out.push(name, raw[i + 1] as string);
  }
  for (const [k, v] of Object.entries(add)) out.push(k, v);
  return out;
}

function applyResponseTransform(headers: string[], route: RouteConfig): string[] {
  const t = route.headers?.response;
  if (!t) return headers;
  const drop = new Set([...(t.remove ?? []), ...Object.keys(t.set ?? {})].map((h) => h.toLowerCase()));
  const out: string[] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) if (!drop.has(headers[i] as string)) out.push(headers[i] as string, headers[i + 1] as string);
  for (const [k, v] of Object.entries(t.set ?? {})) out.push(k.toLowerCase(), v);
  return out;
}
