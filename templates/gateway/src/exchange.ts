// One client request through the gateway: the RequestContext the policies see, and — the same
// object — the undici dispatch handler that streams the upstream response back. One allocation
// per request for the state machine; no promises, closures or async hooks on the proxy path.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { classifyUpstreamError, GatewayError, kRawStatus, sendError, type WireCode } from './errors.js';
import { connectionOptions, isIdentityHeader, REQUEST_DROP, RESPONSE_DROP, validHost } from './headers.js';
import type { AccessWriter } from './logging.js';
import type { GatewayMetrics } from './metrics.js';
import { Router, type CompiledRoute } from './router.js';
import { normalizeTarget } from './target.js';
import type { TrustedProxies } from './trust.js';
import type { Identity, RequestContext, RouteConfig, Stage } from './types.js';
import type { Instance, Upstreams } from './upstream.js';

/** What an exchange needs from the gateway (built once in server.ts). */
export interface Core {
  router: Router;
  upstreams: Upstreams;
  metrics: GatewayMetrics;
  log: Logger;
  routeLogs: Logger[];
  accessLog: AccessWriter | null;
  trust: TrustedProxies;
  stages: Stage[];
  terminal: Stage | undefined;
  hasPolicies: boolean;
  draining: boolean;
  inflight: number;
  onIdle: (() => void) | null;
  retryBufferBytes: number;
  sendTimeoutMs: number;
  noHealthyRetryAfter: string;
  eject(inst: Instance): void;
}

const EMPTY: Buffer[] = [];
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e]*$/;

/** Where a ServerResponse keeps its exchange, so one shared listener serves every request. */
const kExchange = Symbol('edgewise.exchange');
type Tagged = ServerResponse & { [kExchange]?: Exchange };

function onResponseClose(this: Tagged): void {
  this[kExchange]?.finish();
}

function onResponseDrain(this: Tagged): void {
  this[kExchange]?.drained();
}

function onSendTimeout(ex: Exchange): void {
  ex.sendTimedOut();
}

/** Retried when the request may have reached the upstream only for these (RFC 9110 §9.2.2). */
function idempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'PUT' || method === 'DELETE';
}

/**
 * The request body as undici sees it. Never hands undici the IncomingMessage itself: undici
 * destroys a body stream when the upstream fails, which would destroy the client's socket before
 * the gateway could answer 502. Counts bytes for chunked uploads (declared lengths are enforced
 * by Node's parser), and asks for `100 Continue` only when the body is actually wanted.
 */
class BodyPipe extends Readable {
  started = false;
  private bytes = 0;
  constructor(private readonly ex: Exchange) {
    super({ highWaterMark: 64 * 1024 });
  }
  override _read(): void {
    const req = this.ex.req;
    if (this.started) {
      req.resume();
      return;
    }
    this.started = true;
    if (this.ex.expectContinue && !this.ex.res.headersSent) this.ex.res.writeContinue();
    req.on('data', this.onData);
    req.on('end', this.onEnd);
    req.on('error', this.onAbort);
    req.on('close', this.onClose);
  }
  private readonly onData = (chunk: Buffer): void => {
    this.bytes += chunk.length;
    if (this.bytes > this.ex.r.bodyLimit) {
      this.ex.tooLarge = true;
      this.ex.req.pause();
      this.destroy(new GatewayError('EW_GW_BODY_TOO_LARGE', 413, 'payload_too_large', 'request body over the route limit'));
      return;
    }
    if (!this.push(chunk)) this.ex.req.pause();
  };
  private readonly onEnd = (): void => {
    this.push(null);
  };
  private readonly onAbort = (err: Error): void => {
    this.destroy(new GatewayError('EW_GW_CLIENT_ABORTED', 499, 'bad_request', 'client aborted the upload', { cause: err }));
  };
  private readonly onClose = (): void => {
    if (!this.ex.req.complete) this.onAbort(new Error('client closed'));
  };
  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    const req = this.ex.req;
    req.off('data', this.onData);
    req.off('end', this.onEnd);
    req.off('error', this.onAbort);
    req.off('close', this.onClose);
    cb(err);
  }
}

export class Exchange implements RequestContext, Dispatcher.DispatchHandler {
  // RequestContext
  route!: RouteConfig;
  clientIp = '';
  path = '';
  upstreamPath = '';
  query = '';
  identity?: Identity;
  addHeaders: Record<string, string> = {};
  capture?: RequestContext['capture'];
  responseHeaders?: string[];
  log: Logger;
  startedAt: bigint;

  // internal state
  r!: CompiledRoute;
  expectContinue = false;
  tooLarge = false;
  private host: string | undefined = undefined;
  private te: string | undefined = undefined;
  private fwd: string[] = [];
  private fwdLen = -1;
  private forwardedFor = '';
  private proto = 'http';
  private bodyKind = 0; // 0 none, 1 content-length, 2 chunked
  private contentLength = 0;
  private body: Buffer | BodyPipe | null = null;
  private inst: Instance | undefined = undefined;
  private failed: Instance | undefined = undefined;
  private attempts = 0;
  private abortFn: ((err?: Error) => void) | null = null;
  private connected = false;
  private started = false; // response headers written to the client
  private upstreamDone = true;
  private resumeFn: (() => void) | null = null;
  private sendTimer: NodeJS.Timeout | null = null;
  private dispatchedAt = 0;
  private capChunks: Buffer[] | null = null;
  private capBytes = 0;
  private capHeaders: string[] | null = null;
  private status = 0;
  private errorCode: string | undefined = undefined;
  private closed = false;
  private ended = false;

  constructor(
    private readonly core: Core,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    this.log = core.log;
    this.startedAt = process.hrtime.bigint();
    core.inflight++;
    (res as Tagged)[kExchange] = this;
    res.on('close', onResponseClose);
  }

  // ── entry ────────────────────────────────────────────────────────────────────────────────

  /** Core guards, routing, then the policy pipeline. Returns the websocket route when `upgrade` asks for one. */
  run(upgrade: boolean): CompiledRoute | undefined {
    const core = this.core;
    const req = this.req;
    if (core.draining) return this.refuse(503, 'draining', 'draining', { 'retry-after': '1' }, true);
    if (!normalizeTarget(req.url ?? '', this)) return this.refuse(400, 'bad_request', 'bad_target');
    const bad = this.inspectHeaders();
    if (bad !== null) return this.refuse(400, bad, 'bad_headers', undefined, true);
    if (this.bodyKind === 0 && this.te === undefined) return this.route0(upgrade);
    // Node reports a request before llhttp has checked its framing: a Content-Length together
    // with Transfer-Encoding, or a coding that is not chunked, fail right after the headers, in
    // the same parse. Wait for that parse to finish, so such a request never reaches an upstream.
    process.nextTick(() => {
      if (this.closed || req.socket.destroyed) return;
      if (this.te !== undefined && this.te.trim().toLowerCase() !== 'chunked') {
        // llhttp took it (chunked last, e.g. "gzip, chunked"): a coding we do not implement (RFC 9112 §6.1).
        this.refuse(501, 'not_implemented', 'transfer_coding', undefined, true);
        return;
      }
      this.route0(false);
    });
    return undefined;
  }

  private route0(upgrade: boolean): CompiledRoute | undefined {
    const core = this.core;
    const req = this.req;
    const route = core.router.match(this.path);
    if (route === undefined) return this.refuse(404, 'not_found', 'no_route');
    this.r = route;
    this.route = route.config;
    this.log = core.routeLogs[route.index]!;
    if (!Router.allows(route, req.method ?? '')) return this.refuse(405, 'method_not_allowed', 'method', { allow: route.allow });
    if (this.bodyKind !== 0 && (req.method === 'GET' || req.method === 'HEAD')) {
      // A body on GET/HEAD has no defined meaning (RFC 9110 §9.3.1) and is a smuggling and cache-key hazard.
      return this.refuse(400, 'bad_request', 'body_on_get', undefined, true);
    }
    if (this.bodyKind === 1 && this.contentLength > route.bodyLimit) {
      // Refused from the declared length, before a byte of the body is read (RFC 9110 §15.5.14).
      return this.refuse(413, 'payload_too_large', 'body_limit', undefined, true);
    }
    this.upstreamPath = Router.upstreamPath(route, this.path) + (this.query === '' ? '' : '?' + this.query);
    if (upgrade && route.config.websocket) return route;
    if (!core.hasPolicies && route.config.auth !== 'none') {
      // Fail closed: a route that needs authentication is never proxied without the auth policies.
      return this.refuse(503, 'auth_unavailable', 'auth_unavailable');
    }
    this.runStages(0);
    return undefined;
  }

  private refuse(status: number, wire: WireCode, reason: string, headers?: Record<string, string>, close = false): undefined {
    this.core.metrics.reject(reason);
    this.errorCode = reason;
    sendError(this.res, status, wire, headers, close);
    return undefined;
  }

  /**
   * One pass over the raw headers: refuses underscores in names (CGI maps `_` and `-` to the same
   * variable; Envoy headers_with_underscores_action REJECT, security.md A7), a duplicate or
   * malformed Host (RFC 9112 §3.2: 400), and builds the list forwarded upstream.
   */
  private inspectHeaders(): WireCode | null {
    const raw = this.req.rawHeaders;
    const fwd = this.fwd;
    let hosts = 0;
    let xff = '';
    let xfp = '';
    let conn: string | undefined;
    let identity = false;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!;
      const value = raw[i + 1]!;
      const lower = name.toLowerCase();
      if (lower.indexOf('_') !== -1) return 'bad_request';
      switch (lower) {
        case 'host':
          hosts++;
          this.host = value;
          continue;
        case 'connection':
          conn = conn === undefined ? value : `${conn}, ${value}`;
          continue;
        case 'transfer-encoding':
          this.te = this.te === undefined ? value : `${this.te}, ${value}`;
          this.bodyKind = 2;
          continue;
        case 'content-length':
          this.contentLength = Number(value);
          if (this.bodyKind === 0 && this.contentLength > 0) this.bodyKind = 1;
          fwd.push(name, value);
          continue;
        case 'te':
          // Only "trailers" may pass (RFC 9110 §10.1.4); it is a hop-by-hop field otherwise.
          if (value.trim().toLowerCase() === 'trailers') fwd.push(name, value);
          continue;
        case 'x-forwarded-for':
          xff = xff === '' ? value : `${xff}, ${value}`;
          continue;
        case 'x-forwarded-proto':
          xfp = value.trim().toLowerCase();
          continue;
      }
      if (REQUEST_DROP.has(lower)) continue;
      if (isIdentityHeader(lower)) {
        identity = true;
        continue;
      }
      fwd.push(name, value);
    }
    if (hosts > 1 || (this.host !== undefined && !validHost(this.host))) return 'bad_request';
    if (conn !== undefined) {
      const listed = connectionOptions(conn);
      if (listed !== null) {
        // Fields named in Connection are hop-by-hop too (RFC 9110 §7.6.1). Filtering happens
        // before the gateway adds its own fields, so `Connection: x-forwarded-for` cannot strip them.
        let w = 0;
        for (let i = 0; i < fwd.length; i += 2) {
          if (listed.has(fwd[i]!.toLowerCase())) continue;
          fwd[w++] = fwd[i]!;
          fwd[w++] = fwd[i + 1]!;
        }
        fwd.length = w;
      }
    }
    if (identity) {
      // Policies must not read a client's x-user-* as if the gateway had set it.
      const h = this.req.headers;
      for (const k of Object.keys(h)) if (isIdentityHeader(k)) delete h[k];
    }
    const peer = this.req.socket.remoteAddress ?? '';
    const trust = this.core.trust;
    if (trust.empty || xff === '') {
      const ip = peer.startsWith('::ffff:') && peer.includes('.') ? peer.slice(7) : peer;
      this.clientIp = ip;
      this.forwardedFor = ip;
    } else {
      const resolved = trust.resolve(peer, xff);
      this.clientIp = resolved.clientIp;
      this.forwardedFor = resolved.forwardedFor;
    }
    if ((xfp === 'https' || xfp === 'http') && !trust.empty && trust.has(peer)) this.proto = xfp;
    return null;
  }

  // ── policies ─────────────────────────────────────────────────────────────────────────────

  /** Runs stages from `i`; stays synchronous while stages are, awaits only a returned promise. */
  private runStages(i: number): void {
    const stages = this.core.stages;
    for (; i < stages.length; i++) {
      if (this.closed) return;
      let r: boolean | Promise<boolean>;
      try {
        r = stages[i]!.handle(this);
      } catch (err) {
        this.policyFailed(stages[i]!, err);
        return;
      }
      if (r === true) return;
      if (r !== false) {
        const next = i + 1;
        const stage = stages[i]!;
        r.then(
          (done) => {
            if (!done) this.runStages(next);
          },
          (err: unknown) => this.policyFailed(stage, err),
        ).catch((err: unknown) => this.policyFailed(stage, err));
        return;
      }
    }
    if (this.closed) return;
    const terminal = this.core.terminal;
    if (terminal !== undefined) {
      let r: boolean | Promise<boolean>;
      try {
        r = terminal.handle(this);
      } catch (err) {
        this.policyFailed(terminal, err);
        return;
      }
      if (r === true) return;
      if (r !== false) {
        r.then(
          (done) => {
            if (!done && !this.closed) this.proxy();
          },
          (err: unknown) => this.policyFailed(terminal, err),
        ).catch((err: unknown) => this.policyFailed(terminal, err));
        return;
      }
    }
    this.proxy();
  }

  private policyFailed(stage: Stage, err: unknown): void {
    this.errorCode = 'EW_GW_POLICY_FAILED';
    this.log.error({ err, stage: stage.name }, 'policy failed');
    sendError(this.res, 500, 'internal_error');
  }

  // ── proxy ────────────────────────────────────────────────────────────────────────────────

  private proxy(): void {
    const method = this.req.method!;
    if (this.bodyKind === 1 && this.contentLength <= this.core.retryBufferBytes && idempotent(method)) {
      this.bufferBody();
      return;
    }
    if (this.bodyKind !== 0) this.body = new BodyPipe(this);
    this.dispatch(undefined);
  }

  /** Small idempotent bodies are read first so the request can be replayed on another instance. */
  private bufferBody(): void {
    const req = this.req;
    const chunks: Buffer[] = [];
    if (this.expectContinue) this.res.writeContinue();
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (this.closed) return;
      this.body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      this.dispatch(undefined);
    });
  }

  private dispatch(exclude: Instance | undefined): void {
    const core = this.core;
    const svc = core.upstreams.services[this.r.service]!;
    if (svc.outstanding >= svc.limit) {
      // Circuit open: answer now instead of queueing behind a slow service (Envoy UO, x-envoy-overloaded).
      this.dropBody();
      this.refuse(503, 'overloaded', 'overloaded', { 'x-gateway-overloaded': '1', 'retry-after': '1' });
      return;
    }
    const inst = svc.pick(exclude);
    if (inst === undefined) {
      this.dropBody();
      this.refuse(503, 'no_healthy_upstream', 'no_healthy_upstream', { 'retry-after': core.noHealthyRetryAfter });
      return;
    }
    this.inst = inst;
    inst.outstanding++;
    svc.outstanding++;
    this.attempts++;
    this.connected = false;
    this.upstreamDone = false;
    this.abortFn = null;
    this.dispatchedAt = performance.now();
    const r = this.r;
    const headers = this.upstreamHeaders();
    if (headers === null) {
      this.release();
      this.dropBody();
      this.log.warn('a policy set a header that is not a valid field; refused');
      this.refuse(400, 'bad_request', 'bad_added_header');
      return;
    }
    inst.pool.dispatch(
      {
        path: this.upstreamPath,
        method: this.req.method as Dispatcher.HttpMethod,
        headers,
        body: this.body,
        headersTimeout: r.timeoutMs,
        bodyTimeout: r.timeoutMs,
      },
      this,
    );
  }

  private upstreamHeaders(): string[] | null {
    const r = this.r;
    let h = this.fwd;
    // undici copies the list when the request is created, so a retry can truncate and reuse it.
    if (this.fwdLen < 0) this.fwdLen = h.length;
    else h.length = this.fwdLen;
    if (r.reqRemove !== null) {
      const drop = r.reqRemove;
      const all = h;
      h = all.filter((_, i) => !drop.has(all[i - (i % 2)]!.toLowerCase()));
    }
    for (let i = 0; i < r.reqSet.length; i++) h.push(r.reqSet[i]!);
    const add = this.addHeaders;
    for (const k in add) {
      const v = add[k]!;
      // A value a policy derived from a token (a claim) must still be a valid field value (RFC 9110 §5.5).
      if (!TOKEN.test(k) || !FIELD_VALUE.test(v)) return null;
      h.push(k, v);
    }
    if (this.host !== undefined) h.push('host', this.host);
    h.push('x-forwarded-for', this.forwardedFor, 'x-forwarded-proto', this.proto);
    return h;
  }

  private release(): void {
    const inst = this.inst;
    if (inst === undefined) return;
    this.inst = undefined;
    inst.outstanding--;
    inst.service.outstanding--;
  }

  private dropBody(): void {
    if (this.body instanceof BodyPipe) this.body.destroy();
  }

  // ── undici handler (legacy API: the one undici's core calls without a wrapper) ───────────

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    this.connected = true;
    if (this.closed) abort(new GatewayError('EW_GW_CLIENT_ABORTED', 499, 'bad_request', 'client went away'));
  }

  onHeaders(statusCode: number, raw: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx: not relayed
    if (this.closed) return false;
    this.resumeFn = resume;
    const r = this.r;
    const out: string[] = [];
    let conn: string | undefined;
    let te = 0;
    let cl = 0;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toString('latin1');
      const lower = name.toLowerCase();
      if (RESPONSE_DROP.has(lower)) {
        if (lower === 'connection') conn = raw[i + 1]!.toString('latin1');
        else if (lower === 'transfer-encoding') te += raw[i + 1]!.toString('latin1').trim().toLowerCase() === 'chunked' ? 1 : 2;
        continue;
      }
      if (lower === 'content-length') cl++;
      if (r.resRemove !== null && r.resRemove.has(lower)) continue;
      out.push(name, raw[i + 1]!.toString('latin1'));
    }
    if (te > 1 || (te === 1 && cl > 0) || cl > 1) {
      // Ambiguous framing from the upstream (nginx proxy_duplicate_headers.t: 502): a transfer
      // coding other than one "chunked", or Content-Length next to it or twice. Never relayed.
      this.abortFn?.(new GatewayError('EW_GW_UPSTREAM_MALFORMED', 502, 'bad_gateway', 'ambiguous upstream framing'));
      return false;
    }
    let headers = out;
    if (conn !== undefined) {
      const listed = connectionOptions(conn);
      if (listed !== null) headers = out.filter((_, i) => !listed.has(out[i - (i % 2)]!.toLowerCase()));
    }
    for (let i = 0; i < r.resSet.length; i++) headers.push(r.resSet[i]!);
    if (this.capture !== undefined) {
      // What a cache may store: the upstream's fields after the route transforms, not the policies' own.
      this.capChunks = [];
      this.capBytes = 0;
      this.capHeaders = headers.slice();
    }
    const extra = this.responseHeaders;
    if (extra !== undefined) for (let i = 0; i < extra.length; i++) headers.push(extra[i]!);
    // An answer before the upload finished (an early 413/401 from the upstream): the rest of the
    // body is not read, so this connection cannot carry another request (Envoy, reply-from).
    if (this.core.draining || (this.bodyKind !== 0 && !this.req.complete)) headers.push('connection', 'close');
    try {
      this.res.writeHead(statusCode, headers);
    } catch (err) {
      // A header value Node refuses to write (e.g. a bare CR): the response is unusable.
      this.abortFn?.(new GatewayError('EW_GW_UPSTREAM_MALFORMED', 502, 'bad_gateway', 'upstream header not relayable', { cause: err }));
      return false;
    }
    this.status = statusCode;
    this.started = true;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.capChunks !== null) {
      this.capBytes += chunk.length;
      if (this.capBytes > this.capture!.maxBytes) this.capChunks = null;
      else this.capChunks.push(chunk);
    }
    if (this.closed) return false;
    const ok = this.res.write(chunk);
    if (!ok) {
      if (this.sendTimer === null) {
        this.res.once('drain', onResponseDrain);
        this.sendTimer = setTimeout(onSendTimeout, this.core.sendTimeoutMs, this);
      }
    }
    return ok;
  }

  drained(): void {
    if (this.sendTimer !== null) {
      clearTimeout(this.sendTimer);
      this.sendTimer = null;
    }
    this.resumeFn?.();
  }

  /** The client stopped reading (nginx send_timeout): release the upstream and the socket. */
  sendTimedOut(): void {
    this.sendTimer = null;
    this.errorCode = 'EW_GW_CLIENT_SEND_TIMEOUT';
    this.abortFn?.(new GatewayError('EW_GW_CLIENT_SEND_TIMEOUT', 499, 'request_timeout', 'client stopped reading'));
    this.res.destroy();
  }

  onComplete(): void {
    this.upstreamDone = true;
    this.resumeFn = null;
    const inst = this.inst;
    this.release();
    if (inst !== undefined) this.core.metrics.upstreamLatency(this.r.service, (performance.now() - this.dispatchedAt) / 1000);
    if (this.capChunks !== null && this.capture !== undefined) {
      const headers: Record<string, string | string[]> = {};
      const h = this.capHeaders!;
      for (let i = 0; i < h.length; i += 2) {
        const k = h[i]!.toLowerCase();
        const prev = headers[k];
        headers[k] = prev === undefined ? h[i + 1]! : Array.isArray(prev) ? [...prev, h[i + 1]!] : [prev, h[i + 1]!];
      }
      const body = this.capChunks.length === 1 ? this.capChunks[0]! : Buffer.concat(this.capChunks.length ? this.capChunks : EMPTY);
      this.capChunks = null;
      try {
        this.capture.done(this.status, headers, body);
      } catch (err) {
        this.log.error({ err }, 'capture callback failed');
      }
    }
    if (!this.closed) this.res.end();
  }

  onError(err: Error): void {
    this.upstreamDone = true;
    this.resumeFn = null;
    const inst = this.inst;
    this.release();
    this.capChunks = null;
    if (this.sendTimer !== null) {
      clearTimeout(this.sendTimer);
      this.sendTimer = null;
    }
    if (this.closed) return;
    if (this.tooLarge) {
      this.errorCode = 'EW_GW_BODY_TOO_LARGE';
      this.core.metrics.reject('body_limit');
      sendError(this.res, 413, 'payload_too_large', undefined, true);
      return;
    }
    if (err instanceof GatewayError && (err.code === 'EW_GW_CLIENT_ABORTED' || err.code === 'EW_GW_CLIENT_SEND_TIMEOUT')) {
      this.res.destroy();
      return;
    }
    const f = err instanceof GatewayError ? { error: err, notSent: false, eject: false } : classifyUpstreamError(err, this.connected);
    this.errorCode = f.error.code;
    const svcName = this.core.upstreams.services[this.r.service]!.name;
    this.core.metrics.upstreamError(svcName, f.error.code);
    if (f.eject && inst !== undefined) this.core.eject(inst);
    if (!this.started && this.attempts < 2 && this.retryable(f.notSent, f.error.code)) {
      this.failed = inst;
      if (this.body instanceof BodyPipe) {
        this.body.destroy();
        this.body = new BodyPipe(this);
      }
      const svc = this.core.upstreams.services[this.r.service]!;
      // Another instance when there is one; a reset may be retried on the same one (a new connection).
      const other = svc.pick(this.failed);
      if (other !== undefined || f.error.code === 'EW_GW_UPSTREAM_RESET') {
        this.core.metrics.retry(svcName);
        this.log.warn({ code: f.error.code, upstream: inst?.origin }, 'retrying on another instance');
        this.dispatch(other === undefined ? undefined : this.failed);
        return;
      }
    }
    if (this.started) {
      // Headers are out: the only honest signal left is an incomplete response (RFC 9112 §8).
      this.log.warn({ code: f.error.code, err: f.error.cause }, 'upstream failed mid-response');
      this.res.destroy();
      return;
    }
    this.log.warn({ code: f.error.code, err: f.error.cause, upstream: inst?.origin }, f.error.message);
    this.dropBody();
    sendError(this.res, f.error.status, f.error.wire);
  }

  /**
   * Retry rules (RFC 9110 §9.2.2; nginx proxy_next_upstream; HAProxy retry-on conn-failure):
   * nothing sent → any method, if the body can be sent again; sent → only idempotent methods,
   * only after a reset before any response, only with no body or a small buffered one.
   */
  private retryable(notSent: boolean, code: string): boolean {
    const body = this.body;
    const replayable = body === null || Buffer.isBuffer(body) || !body.started;
    if (!replayable) return false;
    if (notSent) return true;
    return code === 'EW_GW_UPSTREAM_RESET' && idempotent(this.req.method!);
  }

  // ── end of the exchange ──────────────────────────────────────────────────────────────────

  /** The response is over (finished or cut): account, log, and stop the upstream if it is still running. */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.closed = true;
    const core = this.core;
    const res = this.res;
    if (this.sendTimer !== null) {
      clearTimeout(this.sendTimer);
      this.sendTimer = null;
    }
    const finished = res.writableFinished;
    if (!finished) {
      // The client went away (or the socket was cut): stop the upstream too (security.md D10).
      if (!this.upstreamDone && this.abortFn !== null) this.abortFn(new GatewayError('EW_GW_CLIENT_ABORTED', 499, 'bad_request', 'client went away'));
      this.dropBody();
    }
    const status = finished || res.headersSent ? res.statusCode : ((res as ServerResponse & { [kRawStatus]?: number })[kRawStatus] ?? 499);
    core.metrics.request(this.r === undefined ? -1 : this.r.index, status);
    const access = core.accessLog;
    if (access !== null) {
      access({
        route: this.r === undefined ? null : this.r.config.name,
        method: this.req.method ?? '',
        path: this.path,
        query: this.query,
        status,
        ms: Number(process.hrtime.bigint() - this.startedAt) / 1e6,
        ip: this.clientIp || (this.req.socket.remoteAddress ?? ''),
        upstream: this.attempts > 0 ? this.r.config.service : undefined,
        attempts: this.attempts,
        error: this.errorCode,
        complete: finished,
      });
    }
    core.inflight--;
    if (core.inflight === 0 && core.onIdle !== null) core.onIdle();
  }

  /** The exchange ends without a response of ours (a WebSocket handed to the policies). */
  handOff(): void {
    if (this.ended) return;
    this.ended = true;
    this.closed = true;
    this.res.off('close', onResponseClose);
    this.core.inflight--;
    if (this.core.inflight === 0 && this.core.onIdle !== null) this.core.onIdle();
  }
}
