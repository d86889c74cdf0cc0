// Gateway errors: a coded internal error that keeps its cause (for the log), and the fixed wire
// body `{ "error": "<code>", "status": <n> }` the client sees — never an address, a stack or a
// library's error code (security.md C17; Envoy's proxy_status_config.remove_details).
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Wire codes: what a client may learn. Stable ids — tests assert them. */
export type WireCode =
  | 'bad_request'
  | 'not_found'
  | 'method_not_allowed'
  | 'request_timeout'
  | 'payload_too_large'
  | 'header_too_large'
  | 'not_implemented'
  | 'bad_gateway'
  | 'no_healthy_upstream'
  | 'overloaded'
  | 'draining'
  | 'gateway_timeout'
  | 'auth_unavailable'
  | 'internal_error';

/** Internal error ids (logged with their cause, never sent). */
export type GatewayErrorCode =
  | 'EW_GW_UPSTREAM_REFUSED'
  | 'EW_GW_UPSTREAM_CONNECT_TIMEOUT'
  | 'EW_GW_UPSTREAM_DNS'
  | 'EW_GW_UPSTREAM_TLS'
  | 'EW_GW_UPSTREAM_RESET'
  | 'EW_GW_UPSTREAM_MALFORMED'
  | 'EW_GW_UPSTREAM_TIMEOUT'
  | 'EW_GW_UPSTREAM_BODY_TIMEOUT'
  | 'EW_GW_UPSTREAM_ERROR'
  | 'EW_GW_BODY_TOO_LARGE'
  | 'EW_GW_CLIENT_ABORTED'
  | 'EW_GW_CLIENT_SEND_TIMEOUT'
  | 'EW_GW_POLICY_FAILED'
  | 'EW_GW_CONFIG'
  | 'EW_GW_INTERNAL';

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly code: GatewayErrorCode,
    readonly status: number,
    readonly wire: WireCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What an upstream failure means for the client and for the retry/ejection logic. */
export interface UpstreamFailure {
  error: GatewayError;
  /** Nothing reached the upstream (connect/DNS/TLS failure): any method may be retried (HAProxy's retry-on conn-failure). */
  notSent: boolean;
  /** The instance could not be reached: eject it until the health check re-admits it. */
  eject: boolean;
}

const CONNECT_REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

/**
 * Maps an undici/socket error to a status. Policy (security.md D, after HAProxy §1.3 and nginx):
 * refused/reset/malformed → 502; timeout → 504. "No healthy upstream", overload and draining
 * (503) are decided before dispatch.
 */
export function classifyUpstreamError(err: unknown, connected: boolean): UpstreamFailure {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  const mk = (c: GatewayErrorCode, status: number, wire: WireCode, msg: string): GatewayError => new GatewayError(c, status, wire, msg, { cause: err });
  if (!connected) {
    // undici refused the request we built (e.g. a header value a policy set): our bug, not the upstream's.
    if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') return { error: mk('EW_GW_INTERNAL', 500, 'internal_error', 'upstream request could not be built'), notSent: false, eject: false };
    if (CONNECT_REFUSED.has(code)) return { error: mk('EW_GW_UPSTREAM_REFUSED', 502, 'bad_gateway', 'upstream refused the connection'), notSent: true, eject: true };
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return { error: mk('EW_GW_UPSTREAM_CONNECT_TIMEOUT', 504, 'gateway_timeout', 'upstream connect timeout'), notSent: true, eject: true };
    if (DNS.has(code)) return { error: mk('EW_GW_UPSTREAM_DNS', 502, 'bad_gateway', 'upstream name did not resolve'), notSent: true, eject: true };
    if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
      // A certificate that does not verify is a configuration problem, not a dead host: 502 each time.
      return { error: mk('EW_GW_UPSTREAM_TLS', 502, 'bad_gateway', 'upstream TLS verification failed'), notSent: true, eject: false };
    }
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return { error: mk('EW_GW_UPSTREAM_TIMEOUT', 504, 'gateway_timeout', 'upstream response timeout'), notSent: false, eject: false };
  if (code === 'UND_ERR_BODY_TIMEOUT') return { error: mk('EW_GW_UPSTREAM_BODY_TIMEOUT', 504, 'gateway_timeout', 'upstream body timeout'), notSent: false, eject: false };
  if (code.startsWith('HPE_') || code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_CHAR' || code === 'ERR_INVALID_HTTP_TOKEN') {
    return { error: mk('EW_GW_UPSTREAM_MALFORMED', 502, 'bad_gateway', 'malformed upstream response'), notSent: false, eject: false };
  }
  if (RESET.has(code) || CONNECT_REFUSED.has(code)) return { error: mk('EW_GW_UPSTREAM_RESET', 502, 'bad_gateway', 'upstream closed the connection'), notSent: false, eject: false };
  return { error: mk('EW_GW_UPSTREAM_ERROR', 502, 'bad_gateway', 'upstream request failed'), notSent: false, eject: false };
}

/** Set on a ServerResponse when the clientError handler answered on the raw socket (for the access log). */
export const kRawStatus = Symbol('edgewise.rawStatus');

const bodies = new Map<string, Buffer>();

/** The fixed JSON body for (status, code), built once. */
export function errorBody(status: number, code: string): Buffer {
  const key = `${status}:${code}`;
  let b = bodies.get(key);
  if (b === undefined) {
    b = Buffer.from(JSON.stringify({ error: code, status }));
    if (bodies.size < 256) bodies.set(key, b);
  }
  return b;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Does the request still have an unread body? Then the connection must close after the answer. */
function bodyPending(res: ServerResponse): boolean {
  const req = res.req;
  if (!req || req.complete) return false;
  const h = req.headers;
  const cl = h['content-length'];
  return h['transfer-encoding'] !== undefined || (cl !== undefined && cl !== '0');
}

/**
 * Sends a gateway-generated error. After the response has started there is nothing honest left to
 * say: the connection is destroyed so the client sees a truncated response (RFC 9112 §8).
 */
export function sendError(res: ServerResponse, status: number, error: string, headers?: Record<string, string>, close = false): void {
  if (res.headersSent || res.destroyed || res.writableEnded) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  const body = errorBody(status, error);
  const out: OutgoingHttpHeaders = {
    'content-type': 'application/json',
    'content-length': body.length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  if (headers) for (const k of Object.keys(headers)) out[k.toLowerCase()] = headers[k];
  if (close || bodyPending(res)) out.connection = 'close';
  try {
    res.writeHead(status, out);
    res.end(res.req?.method === 'HEAD' ? undefined : body);
  } catch {
    res.destroy();
  }
}

/** The same answer written straight to a socket (clientError, CONNECT, refused upgrades). */
export function writeRawError(socket: Duplex, status: number, error: string, headers: Record<string, string> = {}): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = errorBody(status, error);
  let head = `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\nconnection: close\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  socket.end(Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), body]));
  // end() flushes; destroy after a grace period in case the peer never reads.
  const t = setTimeout(() => socket.destroy(), 1000);
  t.unref();
  socket.once('close', () => clearTimeout(t));
}
