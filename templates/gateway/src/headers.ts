// Header rules, both directions.
// Request: RFC 9110 §7.6.1 hop-by-hop fields (Connection and every field it lists, Keep-Alive,
// Proxy-Connection, TE except "trailers", Transfer-Encoding, Upgrade, plus HTTP2-Settings and
// Proxy-Authorization) are not forwarded; neither is anything in the gateway's identity
// namespace (x-user-*, x-auth-*, x-gateway-*, x-internal-*) or a header that claims to describe
// the connection (X-Forwarded-Host, X-Original-URL, Forwarded, X-Real-IP, …) — the gateway sets
// X-Forwarded-For/-Proto itself, after this stripping, so nothing a client sends survives
// (security.md A2, C6, C13). Method-override headers are dropped so the method allow-list holds.

/** Request fields never forwarded (lower-case). */
export const REQUEST_DROP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
  'proxy-authorization',
  'trailer',
  // Expect is answered by the gateway itself (100-continue when the body is actually read).
  'expect',
  'forwarded',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'x-forwarded-server',
  'x-real-ip',
  'x-original-url',
  'x-original-uri',
  'x-rewrite-url',
  'true-client-ip',
  'cf-connecting-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
]);

/** Response fields never relayed (RFC 9110 §7.6.1; Proxy-Authenticate is for the proxy's own client). */
export const RESPONSE_DROP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'http2-settings', 'proxy-authenticate']);

export function isIdentityHeader(lower: string): boolean {
  return (
    lower.charCodeAt(0) === 120 /* x */ &&
    lower.charCodeAt(1) === 45 /* - */ &&
    (lower.startsWith('x-user-') || lower.startsWith('x-auth-') || lower.startsWith('x-gateway-') || lower.startsWith('x-internal-'))
  );
}

/** Tokens of a Connection header other than close/keep-alive/upgrade, lower-cased; null when none. */
export function connectionOptions(value: string): Set<string> | null {
  // The common answers, without splitting: "keep-alive", "close", "Keep-Alive", "Upgrade".
  if (value.length <= 10 && /^(?:keep-alive|close|upgrade)$/i.test(value)) return null;
  let set: Set<string> | null = null;
  for (const t of value.split(',')) {
    const tok = t.trim().toLowerCase();
    if (tok === '' || tok === 'close' || tok === 'keep-alive' || tok === 'upgrade') continue;
    (set ??= new Set()).add(tok);
  }
  return set;
}

/** Host = uri-host [ ":" port ] (RFC 9110 §7.2): reg-name, IPv4 or [IPv6]; no userinfo, port ≤ 65535. */
const HOST_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]{2,45}\])(?::(\d{1,5}))?$/;
let lastGoodHost = '';

export function validHost(host: string): boolean {
  if (host === lastGoodHost) return true;
  if (host.length > 260) return false;
  const m = HOST_RE.exec(host);
  if (m === null) return false;
  if (m[1] !== undefined && Number(m[1]) > 65535) return false;
  lastGoodHost = host;
  return true;
}

/** Query parameters whose values never reach the access log. */
const SECRET_PARAM = /(^|[&;])([^=&;]*(?:token|key|secret|password|passwd|signature|sig|code|auth)[^=&;]*)=([^&;]*)/gi;

export function redactQuery(query: string): string {
  if (query === '') return '';
  return query.replace(SECRET_PARAM, '$1$2=[redacted]');
}
