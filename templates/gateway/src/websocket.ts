// WebSocket upgrades on `websocket: true` routes (`policies.upgrade`). Every check runs before the
// upstream sees anything:
//   1. the handshake itself — GET, `Upgrade: websocket`, no body, a `Sec-WebSocket-Key` of 16
//      base64 bytes (400 otherwise) and `Sec-WebSocket-Version: 13` (426 with
//      `Sec-WebSocket-Version: 13` otherwise; RFC 6455 §4.2.1, §4.4);
//   2. Origin against `gateway.allowedOrigins` (403; RFC 6455 §10.2). An empty list checks nothing;
//      with a list, a request without Origin (a non-browser client) is refused too;
//   3. ip/global rate limit (429), authentication per `route.auth` (401/503), client rate limit and
//      API-key quota (429) — the same policies as HTTP, applied once per connection.
// Then the gateway opens its own WebSocket to a healthy instance (`deps.pick`) and only when that
// upstream answers 101 completes the client's handshake. A non-101 answer is relayed as a plain
// HTTP response and the client connection goes back to the HTTP server, so bytes after it are parsed
// as the next HTTP request — never tunnelled (WebSocket smuggling guard). Messages are relayed with
// backpressure; a message over `route.bodyLimitMb` closes with 1009; closes propagate both ways;
// an idle connection (no message either way) closes with 1001; `close()` sends 1001 to everyone.
// Both legs are terminated by the gateway (ws), so permessage-deflate is not negotiated.
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { writeRawError } from './errors.js';
import { normalizeTarget, type Target } from './target.js';
import { TrustedProxies } from './trust.js';
import { checkLimit, type RouteLimiter } from './ratelimit.js';
import { DEFAULTS, type PolicyOptions } from './policies-shared.js';
import type { ApiKeyAuth } from './auth-apikey.js';
import type { AuthResult, JwtAuth } from './auth-jwt.js';
import type { QuotaStore } from './quota.js';
import type { FailMode } from './ratelimit.js';
import type { GatewayDeps, Identity, RouteConfig } from './types.js';

const KEY_RE = /^[A-Za-z0-9+/]{22}==$/;
/** Client headers never forwarded on the upstream handshake (hop-by-hop, handshake, gateway-owned). */
const DROP = new Set([
  'host',
  'connection',
  'upgrade',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'content-length',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
  'forwarded',
  'x-real-ip',
  'x-original-url',
  'x-rewrite-url',
]);
const DROP_PREFIX = /^(x-user-|x-auth-|x-gateway-|x-internal-|x-forwarded-)/;
/** Response headers not relayed from a non-101 upstream answer (RFC 9110 §7.6.1). */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length']);
const MAX_RELAYED_BODY = 64 * 1024;

/** Everything an upgrade needs from the other policies. */
export interface UpgradePolicies {
  jwt?: JwtAuth;
  apiKey?: ApiKeyAuth;
  preLimiters: Map<string, RouteLimiter>;
  postLimiters: Map<string, RouteLimiter>;
  quota?: { store: QuotaStore; failMode: FailMode };
}

export interface Admitted {
  identity?: Identity;
  /** x-user-* headers for the upstream handshake. */
  headers: Record<string, string>;
}

/** Normalised allow-list: `https://app.example.com/` and `https://APP.example.com:443` are one origin. */
export function originSet(list: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const u of list) out.add(new URL(u).origin);
  return out;
}

function originAllowed(allowed: Set<string>, origin: string | undefined): boolean {
  if (allowed.size === 0) return true;
  if (origin === undefined || origin === 'null') return false;
  try {
    return allowed.has(new URL(origin).origin);
  } catch {
    return false;
  }
}

function hasToken(v: string | undefined, token: string): boolean {
  return v !== undefined && v.toLowerCase().split(',').some((t) => t.trim() === token);
}

/**
 * Runs the handshake checks, Origin, limits and authentication. Answers the client itself (and
 * resolves null) when the upgrade is refused.
 */
export async function admitUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  route: RouteConfig,
  clientIp: string,
  policies: UpgradePolicies,
  allowedOrigins: Set<string>,
  deps: GatewayDeps,
): Promise<Admitted | null> {
  const refuse = (status: number, error: string, headers?: Record<string, string>): null => {
    deps.metrics.count('websocket_refused', { route: route.name, status: String(status) });
    writeRawError(socket, status, error, headers);
    return null;
  };
  const h = req.headers;
  // RFC 6455 §4.1/§4.2.1: a GET with Upgrade: websocket and a 16-byte nonce; no body.
  if (req.method !== 'GET' || !hasToken(h.upgrade, 'websocket')) return refuse(400, 'bad_request');
  if (h['transfer-encoding'] !== undefined || (h['content-length'] !== undefined && h['content-length'] !== '0')) return refuse(400, 'bad_request');
  const key = h['sec-websocket-key'];
  if (typeof key !== 'string' || !KEY_RE.test(key.trim())) return refuse(400, 'bad_request');
  // RFC 6455 §4.4: unknown version → 426 listing the versions the server speaks.
  if (h['sec-websocket-version']?.trim() !== '13') return refuse(426, 'upgrade_required', { 'sec-websocket-version': '13' });
  if (!originAllowed(allowedOrigins, h.origin)) return refuse(403, 'forbidden_origin');

  const pre = await checkLimit(policies.preLimiters.get(route.name), clientIp, undefined);
  if (!pre.ok) return refuse(pre.status, pre.error, pre.headers);

  let identity: Identity | undefined;
  let headers: Record<string, string> = {};
  if (route.auth !== 'none') {
    let r: AuthResult;
    if (route.auth === 'jwt' && policies.jwt) r = await policies.jwt.authenticate(h.authorization);
    else if (route.auth === 'api-key' && policies.apiKey) r = policies.apiKey.authenticate(h[policies.apiKey.header]);
    else return refuse(500, 'internal_error');
    if (!r.ok) return refuse(r.status, r.error, r.headers);
    identity = r.identity;
    headers = r.headers;
  }

  const post = await checkLimit(policies.postLimiters.get(route.name), clientIp, identity);
  if (!post.ok) return refuse(post.status, post.error, post.headers);
  if (policies.quota && route.auth === 'api-key' && identity) {
    const q = await policies.quota.store.take(identity.subject);
    if (q === null && policies.quota.failMode === 'closed') return refuse(503, 'quota_unavailable', { 'retry-after': '1' });
    if (q !== null && !q.allowed) return refuse(429, 'quota_exceeded', { 'retry-after': String(Math.max(1, q.resetSeconds)) });
  }
  if (socket.destroyed) return null;
  return { identity, headers };
}

/** WebSocket close codes a peer may send (RFC 6455 §7.4); 1005/1006 only describe what happened. */
function sendable(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** Closes `ws` to mirror a close received on the other leg. */
function mirrorClose(ws: WebSocket, code: number, reason: Buffer, abnormal: number): void {
  if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
  if (ws.readyState === WebSocket.CONNECTING) {
    ws.terminate();
    return;
  }
  if (sendable(code)) ws.close(code, reason.length <= 123 ? reason : undefined);
  else if (code === 1005) ws.close();
  else ws.close(abnormal);
}

export interface WebSocketProxy {
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, route: RouteConfig, clientIp: string): void;
  /** Sends 1001 to every connection, waits for the closes (bounded), then terminates the rest. */
  close(): Promise<void>;
  /** Open proxied connections (tests). */
  readonly size: number;
}

export function createWebSocketProxy(deps: GatewayDeps, policies: UpgradePolicies, opts: PolicyOptions['websocket'] = {}): WebSocketProxy {
  const config = deps.config;
  const allowed = originSet(config.gateway.allowedOrigins ?? []);
  const trust = new TrustedProxies(config.trustedProxies ?? []);
  const idleMs = opts.idleTimeoutMs ?? DEFAULTS.wsIdleTimeoutMs;
  const maxBuffered = opts.maxBufferedBytes ?? DEFAULTS.wsMaxBufferedBytes;
  const graceMs = opts.closeGraceMs ?? DEFAULTS.wsCloseGraceMs;
  const connectMs = Math.round((config.limits?.connectTimeoutSeconds ?? 5) * 1000);
  const log = deps.log.child({ policy: 'websocket' });
  const pairs = new Set<{ client?: WebSocket; upstream: WebSocket; socket: Duplex }>();
  const servers = new Map<string, WebSocketServer>();
  let closing = false;

  const serverFor = (route: RouteConfig): WebSocketServer => {
    let wss = servers.get(route.name);
    if (wss === undefined) {
      wss = new WebSocketServer({
        noServer: true,
        clientTracking: false,
        perMessageDeflate: false,
        maxPayload: Math.floor(route.bodyLimitMb * 1024 * 1024),
        // The upstream already chose among the client's protocols: echo its choice (RFC 6455 §4.2.2).
        handleProtocols: (_protocols, request) => (request as IncomingMessage & { edgewiseProtocol?: string }).edgewiseProtocol || false,
      });
      servers.set(route.name, wss);
    }
    return wss;
  };

  // The API key is a credential for the gateway, not for the upstream.
  const policiesApiKeyHeader = policies.apiKey?.header;
  const upstreamHeaders = (req: IncomingMessage, route: RouteConfig, admitted: Admitted): Record<string, string> => {
    const out: Record<string, string> = {};
    const remove = new Set((route.headers?.request?.remove ?? []).map((x) => x.toLowerCase()));
    const raw = req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = (raw[i] as string).toLowerCase();
      if (DROP.has(name) || DROP_PREFIX.test(name) || name.includes('_') || remove.has(name)) continue;
      if (policiesApiKeyHeader !== undefined && name === policiesApiKeyHeader) continue;
      const v = raw[i + 1] as string;
      out[name] = out[name] === undefined ? v : `${out[name]}, ${v}`;
    }
    for (const [k, v] of Object.entries(route.headers?.request?.set ?? {})) out[k.toLowerCase()] = v;
    const peer = req.socket.remoteAddress ?? '';
    out['x-forwarded-for'] = trust.resolve(peer, typeof req.headers['x-forwarded-for'] === 'string' ? req.headers['x-forwarded-for'] : '').forwardedFor;
    out['x-forwarded-proto'] = (req.socket as Socket & { encrypted?: boolean }).encrypted ? 'https' : 'http';
    for (const [k, v] of Object.entries(admitted.headers)) out[k] = v;
    return out;
  };
  /** Relays a non-101 handshake answer, then hands the connection back to the HTTP server. */
  const relayRefusal = (socket: Duplex, head: Buffer, res: IncomingMessage, up: { release(): void }): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (): void => {
      if (done) return;
      done = true;
      up.release();
      res.destroy();
      writeRawError(socket, 502, 'bad_gateway');
    };
    const timer = setTimeout(fail, connectMs);
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_RELAYED_BODY) fail();
      else chunks.push(c);
    });
    res.on('error', fail);
    res.on('end', () => {
      clearTimeout(timer);
      if (done) return;
      done = true;
      up.release();
      const body = Buffer.concat(chunks);
      let text = `HTTP/1.1 ${res.statusCode ?? 502} ${(res.statusMessage ?? '').replace(/[^\t\x20-\x7e]/g, '')}\r\n`;
      const raw = res.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = raw[i] as string;
        if (HOP.has(name.toLowerCase())) continue;
        text += `${name}: ${raw[i + 1]}\r\n`;
      }
      text += `content-length: ${body.length}\r\n\r\n`;
      if (socket.destroyed) return;
      socket.write(Buffer.concat([Buffer.from(text, 'latin1'), body]));
      // Keep speaking HTTP on this connection: whatever the client sent after the upgrade
      // request is parsed as a new request by the gateway's HTTP server, never tunnelled.
      const server = (socket as Socket & { server?: Server }).server;
      if (server && typeof server.emit === 'function' && !closing) {
        if (head.length > 0) socket.unshift(head);
        server.emit('connection', socket);
      } else socket.end();
    });
  };

  const connect = (req: IncomingMessage, socket: Duplex, head: Buffer, route: RouteConfig, admitted: Admitted): void => {
    const picked = deps.pick(route.service);
    if (picked === undefined) {
      writeRawError(socket, 503, 'no_healthy_upstream', { 'retry-after': '1' });
      return;
    }
    let released = false;
    const up = {
      release: () => {
        if (!released) {
          released = true;
          deps.release(picked);
        }
      },
    };
    const target: Target = { path: '/', query: '' };
    if (!normalizeTarget(req.url ?? '/', target)) {
      up.release();
      writeRawError(socket, 400, 'bad_request');
      return;
    }
    let path = target.path;
    if (route.stripPrefix && route.path !== '/') {
      path = path.slice(route.path.length);
      if (path === '' || path[0] !== '/') path = `/${path}`;
    }
    const url = `${picked.origin.replace(/^http/, 'ws')}${path}${target.query ? `?${target.query}` : ''}`;
    const protocols = (req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    const maxPayload = Math.floor(route.bodyLimitMb * 1024 * 1024);
    const upstream = new WebSocket(url, protocols, {
      headers: upstreamHeaders(req, route, admitted),
      perMessageDeflate: false,
      maxPayload,
      handshakeTimeout: connectMs,
      followRedirects: false,
    });
    const pair: { client?: WebSocket; upstream: WebSocket; socket: Duplex } = { upstream, socket };
    pairs.add(pair);
    let handshakeDone = false;
    // The client going away while we wait for the upstream aborts the upstream handshake.
    const onEarlyClose = (): void => {
      if (!handshakeDone) upstream.terminate();
    };
    socket.once('close', onEarlyClose);

    upstream.once('unexpected-response', (_r, res) => {
      handshakeDone = true;
      socket.off('close', onEarlyClose);
      pairs.delete(pair);
      deps.metrics.count('websocket_upstream_refused', { route: route.name });
      relayRefusal(socket, head, res, up);
    });
    upstream.once('error', (err) => {
      if (handshakeDone) return;
      handshakeDone = true;
      socket.off('close', onEarlyClose);
      pairs.delete(pair);
      up.release();
      log.warn({ err: err.message, route: route.name, upstream: `${picked.service}#${picked.instance}` }, 'websocket upstream failed');
      writeRawError(socket, /timeout/i.test(err.message) ? 504 : 502, /timeout/i.test(err.message) ? 'gateway_timeout' : 'bad_gateway');
    });
    upstream.once('open', () => {
      handshakeDone = true;
      socket.off('close', onEarlyClose);
      if (socket.destroyed || closing) {
        pairs.delete(pair);
        up.release();
        upstream.terminate();
        if (!socket.destroyed) writeRawError(socket, 503, 'draining');
        return;
      }
      (req as IncomingMessage & { edgewiseProtocol?: string }).edgewiseProtocol = upstream.protocol;
      const onAbort = (): void => {
        pairs.delete(pair);
        up.release();
        upstream.close(1001);
      };
      socket.once('close', onAbort);
      serverFor(route).handleUpgrade(req, socket, head, (client) => {
        socket.off('close', onAbort);
        pair.client = client;
        deps.metrics.count('websocket_open', { route: route.name });
        relay(pair, client, upstream, route, up);
      });
    });
  };

  const relay = (pair: { client?: WebSocket; upstream: WebSocket; socket: Duplex }, client: WebSocket, upstream: WebSocket, route: RouteConfig, up: { release(): void }): void => {
    const idle = setTimeout(() => {
      log.debug({ route: route.name }, 'websocket idle timeout');
      client.close(1001, 'idle timeout');
      upstream.close(1001, 'idle timeout');
    }, idleMs);
    idle.unref();
    const forward = (from: WebSocket, to: WebSocket) => (data: RawData, isBinary: boolean) => {
      idle.refresh();
      if (to.readyState !== WebSocket.OPEN) return;
      to.send(data, { binary: isBinary }, () => {
        if (to.bufferedAmount < maxBuffered && from.isPaused) from.resume();
      });
      // Backpressure: stop reading the sender while the receiver's socket is backed up.
      if (to.bufferedAmount >= maxBuffered) from.pause();
    };
    client.on('message', forward(client, upstream));
    upstream.on('message', forward(upstream, client));
    client.on('error', (err) => log.debug({ err: err.message }, 'websocket client error'));
    upstream.on('error', (err) => log.debug({ err: err.message }, 'websocket upstream error'));
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(idle);
      pairs.delete(pair);
      up.release();
    };
    // ws closes with 1009 itself when a message exceeds maxPayload; the close then propagates.
    client.on('close', (code, reason) => {
      mirrorClose(upstream, code, reason, 1001);
      if (upstream.readyState === WebSocket.CLOSED) finish();
    });
    upstream.on('close', (code, reason) => {
      mirrorClose(client, code, reason, 1011);
      finish();
    });
  };

  return {
    upgrade(req, socket, head, route, clientIp) {
      if (closing) {
        writeRawError(socket, 503, 'draining');
        return;
      }
      socket.on('error', () => undefined);
      admitUpgrade(req, socket, route, clientIp, policies, allowed, deps).then(
        (admitted) => {
          if (admitted !== null) connect(req, socket, head, route, admitted);
        },
        (err: unknown) => {
          log.error({ err }, 'websocket admission failed');
          writeRawError(socket, 500, 'internal_error');
        },
      );
    },
    async close() {
      closing = true;
      const all = [...pairs];
      if (all.length > 0) {
        await new Promise<void>((resolve) => {
          let left = all.length;
          const t = setTimeout(resolve, graceMs);
          for (const p of all) {
            const done = (): void => {
              if (--left === 0) {
                clearTimeout(t);
                resolve();
              }
            };
            if (p.client && p.client.readyState !== WebSocket.CLOSED) {
              p.client.once('close', done);
              // RFC 6455 §7.4.1: 1001 "going away" — the server is shutting down.
              p.client.close(1001, 'going away');
            } else done();
            if (p.upstream.readyState === WebSocket.OPEN) p.upstream.close(1001, 'going away');
            else if (p.upstream.readyState === WebSocket.CONNECTING) p.upstream.terminate();
          }
        });
      }
      for (const p of pairs) {
        p.client?.terminate();
        p.upstream.terminate();
        p.socket.destroy();
      }
      pairs.clear();
      for (const wss of servers.values()) wss.close();
      servers.clear();
    },
    get size() {
      return pairs.size;
    },
  };
}
