// API-key authentication (`route.auth: api-key`, `auth.apiKeys`). Keys come from the environment
// variable `auth.apiKeys.keysEnv` as `id:key,id:key` (the id is public, the key is the secret; a key
// may itself contain ':'). The presented key is HMAC-SHA256'd with a per-process random key and
// looked up by digest, then compared with timingSafeEqual: lookup timing can only reveal bits of a
// keyed digest the client cannot compute, never bits of a stored key. The identity subject is the
// key id, never the key.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { identityHeaders, PolicyError } from './policies-shared.js';
import type { ApiKeysConfig, GatewayDeps, Identity, RequestContext } from './types.js';
import type { AuthFail, AuthOk, AuthResult } from './auth-jwt.js';

const ID_RE = /^[A-Za-z0-9._~-]{1,64}$/;
const MIN_KEY_CHARS = 16;
const MAX_KEY_CHARS = 512;

export interface ApiKeyAuth {
  readonly header: string;
  authenticate(value: string | string[] | undefined): AuthResult;
  handle(ctx: RequestContext): boolean;
}

/** Parses `id:key,id:key`; rejects duplicates, bad ids and short keys with coded errors. */
export function parseApiKeys(text: string | undefined, envName: string): { id: string; key: string }[] {
  const fail = (msg: string): never => {
    throw new PolicyError('EW_GW_APIKEY_CONFIG', `auth.apiKeys: ${msg}`);
  };
  if (text === undefined || text.trim() === '') fail(`environment variable ${envName} (auth.apiKeys.keysEnv) is not set; expected id:key,id:key`);
  const out: { id: string; key: string }[] = [];
  const ids = new Set<string>();
  const keys = new Set<string>();
  (text as string).split(',').forEach((pair, i) => {
    const trimmed = pair.trim();
    if (trimmed === '') return;
    const colon = trimmed.indexOf(':');
    // Never echo the pair itself: it holds a secret.
    if (colon <= 0) fail(`entry ${i + 1} of ${envName} is not id:key`);
    const id = trimmed.slice(0, colon);
    const key = trimmed.slice(colon + 1);
    if (!ID_RE.test(id)) fail(`entry ${i + 1} of ${envName}: the id must be 1-64 letters, digits or . _ ~ -`);
    if (key.length < MIN_KEY_CHARS || key.length > MAX_KEY_CHARS) fail(`the key of ${id} must be ${MIN_KEY_CHARS}-${MAX_KEY_CHARS} characters`);
    if (!/^[\x21-\x7e]+$/.test(key)) fail(`the key of ${id} must be visible ASCII without spaces`);
    if (ids.has(id)) fail(`duplicate id ${id}`);
    if (keys.has(key)) fail(`two ids share one key (${id})`);
    ids.add(id);
    keys.add(key);
    out.push({ id, key });
  });
  if (out.length === 0) fail(`${envName} holds no id:key pair`);
  return out;
}

export function createApiKeyAuth(cfg: ApiKeysConfig, deps: GatewayDeps, env: Record<string, string | undefined> = process.env): ApiKeyAuth {
  const header = (cfg.header ?? 'x-api-key').toLowerCase();
  const pepper = randomBytes(32);
  const digest = (v: string): Buffer => createHmac('sha256', pepper).update(v).digest();
  const byDigest = new Map<string, { digest: Buffer; ok: AuthOk }>();
  for (const { id, key } of parseApiKeys(env[cfg.keysEnv], cfg.keysEnv)) {
    const d = digest(key);
    const identity: Identity = { kind: 'api-key', subject: id };
    byDigest.set(d.toString('base64'), { digest: d, ok: { ok: true, identity, headers: identityHeaders(identity), expMs: Infinity } });
  }
  // RFC 9110 §15.5.2: a 401 carries a challenge; there is no registered scheme for API keys.
  const challenge = { 'www-authenticate': `ApiKey realm="${deps.config.name}", header="${header}"` };
  const MISSING: AuthFail = { ok: false, status: 401, error: 'unauthorized', headers: challenge };
  const INVALID: AuthFail = { ok: false, status: 401, error: 'invalid_api_key', headers: challenge };

  const authenticate = (value: string | string[] | undefined): AuthResult => {
    if (value === undefined || value === '') return MISSING;
    if (typeof value !== 'string' || value.length > MAX_KEY_CHARS) return INVALID;
    const d = digest(value);
    const hit = byDigest.get(d.toString('base64'));
    if (hit === undefined || !timingSafeEqual(d, hit.digest)) {
      deps.metrics.count('auth_rejected', { kind: 'api-key' });
      return INVALID;
    }
    return hit.ok;
  };

  return {
    header,
    authenticate,
    handle(ctx) {
      const r = authenticate(ctx.req.headers[header]);
      if (r.ok) {
        ctx.identity = r.identity;
        for (const name in r.headers) ctx.addHeaders[name] = r.headers[name] as string;
        return false;
      }
      deps.sendError(ctx.res, r.status, r.error, r.headers);
      return true;
    },
  };
}
