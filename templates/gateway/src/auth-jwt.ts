// JWT bearer authentication (`route.auth: jwt`, `auth.jwt`), verified with jose.
// - Algorithms come only from config (never from the token); `none` is refused at load, and jose's
//   jwtVerify never accepts unsecured JWTs. HMAC and public-key algorithms are never mixed, so an
//   HS256 token "signed" with the public key cannot verify (algorithm confusion).
// - HS*: the secret is read from the environment variable `auth.jwt.secretEnv`.
//   RS/PS/ES/EdDSA: keys come only from the configured `auth.jwt.jwksUrl` (createRemoteJWKSet with a
//   timeout, a refetch cooldown and a maximum cache age; redirects are not followed; bodies over
//   1 MiB are refused). Token headers `jku`, `x5u` and embedded `jwk` are never used.
// - `exp` is required; `nbf`, `iss` and `aud` (string or array) are checked with at most 300 s of
//   clock tolerance; an unknown `crit` header is rejected (RFC 7515 §4.1.11).
// - Failures answer 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3) and a
//   fixed body; the reason is logged at debug level only. When the JWKS cannot be fetched the
//   gateway fails closed with 503 `auth_unavailable` (+ Retry-After): the token may be valid, so a
//   401 would tell clients to throw it away.
// - Verified tokens are cached by SHA-256 of the whole token until `exp` (at most the JWKS cache age),
//   in a bounded LRU: signature verification on every request halves throughput.
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { DEFAULTS, identityHeaders, LruMap, PolicyError, type PolicyOptions } from './policies-shared.js';
import type { GatewayDeps, Identity, JwtConfig, RequestContext } from './types.js';

const ASYMMETRIC = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']);
/** RFC 7518 §3.2: an HMAC key must be at least as long as the hash output. */
const HMAC_MIN_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };
const MAX_TOLERANCE_SECONDS = 300;
/** 9999-12-31T23:59:59Z: an `exp` beyond this is not a real expiry (e.g. 1e20). */
const MAX_EXP = 253_402_300_799;
const MAX_TOKEN_CHARS = 8192;
/** RFC 6750 §2.1 b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export interface AuthOk {
  ok: true;
  identity: Identity;
  headers: Record<string, string>;
  expMs: number;
}
export interface AuthFail {
  ok: false;
  status: 401 | 503;
  error: string;
  headers: Record<string, string>;
}
export type AuthResult = AuthOk | AuthFail;

/** Thrown by the key resolver when the JWKS itself cannot be obtained (→ 503, never 401). */
class JwksUnavailable extends PolicyError {
  constructor(cause?: unknown) {
    super('EW_GW_JWKS_UNAVAILABLE', 'JWKS unavailable', { cause });
  }
}

/** Validates `auth.jwt` at startup; every problem is a clear, coded error. */
export function validateJwtConfig(cfg: JwtConfig, env: Record<string, string | undefined>): { secret?: Uint8Array; jwksUrl?: URL } {
  const fail = (msg: string): never => {
    throw new PolicyError('EW_GW_JWT_CONFIG', `auth.jwt: ${msg}`);
  };
  if (!Array.isArray(cfg.algorithms) || cfg.algorithms.length === 0) fail('algorithms must list the accepted algorithms explicitly (e.g. [RS256])');
  for (const a of cfg.algorithms) {
    if (typeof a !== 'string' || a.toLowerCase() === 'none') fail('algorithm "none" is never accepted');
    if (!ASYMMETRIC.has(a) && !(a in HMAC_MIN_BYTES)) fail(`unsupported algorithm ${JSON.stringify(a)}`);
  }
  const hs = cfg.algorithms.filter((a) => a in HMAC_MIN_BYTES);
  if (hs.length > 0 && hs.length !== cfg.algorithms.length) fail('do not mix HMAC (HS*) and public-key algorithms');
  const tol = cfg.clockToleranceSeconds ?? 0;
  if (!Number.isInteger(tol) || tol < 0 || tol > MAX_TOLERANCE_SECONDS) fail(`clockToleranceSeconds must be an integer from 0 to ${MAX_TOLERANCE_SECONDS}`);
  if (typeof cfg.issuer !== 'string' || cfg.issuer === '') fail('issuer is required');
  if (typeof cfg.audience !== 'string' || cfg.audience === '') fail('audience is required');
  if (hs.length > 0) {
    if (!cfg.secretEnv) fail('HS* algorithms need secretEnv (the environment variable holding the secret)');
    const secret = env[cfg.secretEnv as string];
    if (!secret) fail(`environment variable ${cfg.secretEnv} (auth.jwt.secretEnv) is not set`);
    const bytes = new TextEncoder().encode(secret);
    const need = Math.max(...hs.map((a) => HMAC_MIN_BYTES[a] ?? 32));
    if (bytes.length < need) fail(`the secret in ${cfg.secretEnv} must be at least ${need} bytes for ${hs.join('/')} (RFC 7518 §3.2)`);
    return { secret: bytes };
  }
  if (!cfg.jwksUrl) fail('public-key algorithms need jwksUrl');
  let url: URL;
  try {
    url = new URL(cfg.jwksUrl as string);
  } catch (cause) {
    throw new PolicyError('EW_GW_JWT_CONFIG', 'auth.jwt: jwksUrl is not a URL', { cause });
  }
  if (url.username || url.password) fail('jwksUrl must not contain credentials');
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\./.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) fail('jwksUrl must use https (plain http only for a loopback host)');
  return { jwksUrl: url };
}

/** "Bearer " (any case) followed by something, checked without allocating. */
function isBearer(v: string): boolean {
  if (v.length < 8 || v.charCodeAt(6) !== 32) return false;
  const word = 'bearer';
  for (let i = 0; i < 6; i++) if ((v.charCodeAt(i) | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/** fetch for jose: no redirects (jose sets redirect: manual), and a bounded body. */
function boundedFetch(maxBytes: number) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    const res = await fetch(url, init);
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      return new Response(null, { status: res.status });
    }
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new PolicyError('EW_GW_JWKS_TOO_LARGE', `JWKS larger than ${maxBytes} bytes`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new PolicyError('EW_GW_JWKS_TOO_LARGE', `JWKS larger than ${maxBytes} bytes`);
        }
        chunks.push(value);
      }
    }
    return new Response(Buffer.concat(chunks), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

/** Errors that say "this token cannot be verified" (→ 401) rather than "the keys are unavailable". */
function isTokenError(err: unknown): boolean {
  return (
    err instanceof errors.JWKSNoMatchingKey ||
    err instanceof errors.JWKSMultipleMatchingKeys ||
    err instanceof errors.JOSENotSupported ||
    err instanceof errors.JOSEAlgNotAllowed ||
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JWTInvalid ||
    err instanceof errors.JWKInvalid
  );
}

export interface JwtAuth {
  /** Authenticates an Authorization header value (HTTP requests and WebSocket upgrades). */
  authenticate(authorization: string | undefined): AuthResult | Promise<AuthResult>;
  /** The pipeline step: sets ctx.identity and the x-user-* headers, or answers 401/503. */
  handle(ctx: RequestContext): boolean | Promise<boolean>;
  close(): void;
}

export function createJwtAuth(cfg: JwtConfig, deps: GatewayDeps, opts: PolicyOptions = {}): JwtAuth {
  const env = opts.env ?? process.env;
  const { secret, jwksUrl } = validateJwtConfig(cfg, env);
  const cacheMaxAgeMs = opts.jwks?.cacheMaxAgeMs ?? DEFAULTS.jwksCacheMaxAgeMs;
  const backoffMs = opts.jwks?.failureBackoffMs ?? DEFAULTS.jwksFailureBackoffMs;
  const log = deps.log.child({ policy: 'jwt' });

  let key: Uint8Array | JWTVerifyGetKey;
  if (secret) key = secret;
  else {
    const remote = createRemoteJWKSet(jwksUrl as URL, {
      timeoutDuration: opts.jwks?.timeoutMs ?? DEFAULTS.jwksTimeoutMs,
      cooldownDuration: opts.jwks?.cooldownMs ?? DEFAULTS.jwksCooldownMs,
      cacheMaxAge: cacheMaxAgeMs,
      headers: { accept: 'application/jwk-set+json, application/json' },
      [customFetch]: boundedFetch(opts.jwks?.maxBytes ?? DEFAULTS.jwksMaxBytes),
    });
    // After a failed fetch, do not refetch for `backoffMs`: tokens whose key is already cached keep
    // working, everything else fails closed at once instead of hammering the IdP.
    let failedUntil = 0;
    const hasKey = (kid: string | undefined): boolean => remote.fresh && (remote.jwks()?.keys ?? []).some((k) => kid === undefined || k.kid === kid);
    key = async (header, token) => {
      if (Date.now() < failedUntil && !hasKey(header.kid)) throw new JwksUnavailable();
      try {
        return await remote(header, token);
      } catch (err) {
        if (isTokenError(err)) throw err;
        failedUntil = Date.now() + backoffMs;
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'JWKS fetch failed');
        throw new JwksUnavailable(err);
      }
    };
    // Warm the key cache so the first request does not wait for the IdP (failure is not fatal).
    remote.reload().catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'JWKS prefetch failed'));
  }

  const verifyOptions = {
    algorithms: [...cfg.algorithms],
    issuer: cfg.issuer,
    audience: cfg.audience,
    clockTolerance: cfg.clockToleranceSeconds ?? 0,
    requiredClaims: ['exp'],
  };
  const cache = new LruMap<string, AuthOk>(opts.tokenCacheSize ?? DEFAULTS.tokenCacheSize);
  const pending = new Map<string, Promise<AuthResult>>();
  const forward = cfg.forwardClaims ?? [];

  const MISSING: AuthFail = { ok: false, status: 401, error: 'unauthorized', headers: { 'www-authenticate': `Bearer realm="${deps.config.name}"` } };
  const INVALID: AuthFail = { ok: false, status: 401, error: 'invalid_token', headers: { 'www-authenticate': 'Bearer error="invalid_token"' } };
  const UNAVAILABLE: AuthFail = { ok: false, status: 503, error: 'auth_unavailable', headers: { 'retry-after': '5' } };

  const verify = async (token: string, hash: string): Promise<AuthResult> => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as JWTVerifyGetKey, verifyOptions));
    } catch (err) {
      if (err instanceof JwksUnavailable) {
        deps.metrics.count('auth_unavailable', { kind: 'jwt' });
        return UNAVAILABLE;
      }
      log.debug({ code: (err as { code?: string }).code }, 'jwt rejected');
      deps.metrics.count('auth_rejected', { kind: 'jwt' });
      return INVALID;
    }
    const exp = payload.exp;
    if (typeof exp !== 'number' || !Number.isFinite(exp) || exp > MAX_EXP) return INVALID;
    const subject = [payload.sub, payload.azp, payload.client_id].find((s): s is string => typeof s === 'string' && s !== '');
    if (subject === undefined || subject.length > 256) return INVALID;
    const identity: Identity = { kind: 'jwt', subject, claims: payload as Record<string, unknown> };
    const now = Date.now();
    const entry: AuthOk = { ok: true, identity, headers: identityHeaders(identity, forward), expMs: Math.min(exp * 1000, now + cacheMaxAgeMs) };
    if (entry.expMs > now) cache.set(hash, entry);
    return entry;
  };

  const authenticate = (authorization: string | undefined): AuthResult | Promise<AuthResult> => {
    // RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive (RFC 9110 §11.1).
    if (authorization === undefined || !isBearer(authorization)) return MISSING;
    const token = authorization.slice(7).trim();
    if (token.length > MAX_TOKEN_CHARS || !B64TOKEN.test(token)) return INVALID;
    const hash = createHash('sha256').update(token).digest('base64');
    const hit = cache.get(hash);
    if (hit !== undefined) {
      if (hit.expMs > Date.now()) return hit;
      cache.delete(hash);
    }
    let p = pending.get(hash);
    if (p === undefined) {
      p = verify(token, hash).finally(() => pending.delete(hash));
      pending.set(hash, p);
    }
    return p;
  };

  const apply = (ctx: RequestContext, r: AuthResult): boolean => {
    if (r.ok) {
      ctx.identity = r.identity;
      const h = r.headers;
      for (const name in h) ctx.addHeaders[name] = h[name] as string;
      return false;
    }
    deps.sendError(ctx.res, r.status, r.error, r.headers);
    return true;
  };

  return {
    authenticate,
    handle(ctx) {
      const r = authenticate(ctx.req.headers.authorization);
      if (r instanceof Promise) return r.then((x) => apply(ctx, x));
      return apply(ctx, r);
    },
    close() {
      cache.clear();
    },
  };
}
