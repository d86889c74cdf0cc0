// Loads edge.yaml and validates the parts the gateway reads. edgewise already validated the file it
// wrote, but users edit it: every error names the path (`routes[2].path: …`) and the rule, and the
// defaults are the EdgeSpec's (src/spec/schema.ts in edgewise).
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isIP } from 'node:net';
import { parseDocument } from 'yaml';
import type { GatewayConfig, HeaderTransform, JwtConfig, Limits, Method, RateLimitConfig, RouteConfig, ServiceConfig } from './types.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'EW_GW_CONFIG';
  constructor(readonly issues: string[], file?: string) {
    super(`${file ?? 'edge.yaml'} is not a valid gateway configuration:\n  - ${issues.join('\n  - ')}`);
  }
}

const MAX_FILE_BYTES = 1024 * 1024;
const NAME_RE = /^[a-z][a-z0-9-]{0,40}[a-z0-9]$|^[a-z]$/;
const PATH_RE = /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$|^\/$/;
const HEADER_RE = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
const HEADER_VALUE_RE = /^[A-Za-z0-9 ._:/=,+*-]{0,200}$/;
const ENV_RE = /^[A-Z][A-Z0-9_]{0,63}$/;
const HOST_RE = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const METHODS: readonly Method[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const JWT_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256', 'HS256', 'HS384', 'HS512', 'EdDSA'];

type Obj = Record<string, unknown>;

const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** A tiny path-qualified reader: each getter records an issue instead of throwing. */
class Reader {
  readonly issues: string[] = [];
  fail(path: string, msg: string): void {
    this.issues.push(`${path}: ${msg}`);
  }
  obj(v: unknown, path: string, keys: readonly string[] | null): Obj | undefined {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.fail(path, 'must be a mapping');
      return undefined;
    }
    const o = v as Obj;
    if (keys) for (const k of Object.keys(o)) if (!keys.includes(k)) this.fail(at(path, k), `unknown key (allowed: ${keys.join(', ')})`);
    return o;
  }
  num(o: Obj, key: string, path: string, min: number, max: number, def?: number, int = false): number {
    const v = o[key] ?? def;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (int && !Number.isInteger(v))) {
      this.fail(at(path, key), `must be ${int ? 'an integer' : 'a number'} from ${min} to ${max}${v === undefined ? ' (missing)' : ''}`);
      return def ?? min;
    }
    return v;
  }
  str(o: Obj, key: string, path: string, re: RegExp, rule: string, def?: string): string {
    const v = o[key] ?? def;
    if (typeof v !== 'string' || !re.test(v)) {
      this.fail(at(path, key), `must be ${rule}${v === undefined ? ' (missing)' : ''}`);
      return def ?? '';
    }
    return v;
  }
  bool(o: Obj, key: string, path: string, def: boolean): boolean {
    const v = o[key] ?? def;
    if (typeof v !== 'boolean') {
      this.fail(at(path, key), 'must be true or false');
      return def;
    }
    return v;
  }
  oneOf<T extends string>(o: Obj, key: string, path: string, values: readonly T[], def?: T): T {
    const v = o[key] ?? def;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      this.fail(at(path, key), `must be one of ${values.join(', ')}`);
      return def ?? values[0]!;
    }
    return v as T;
  }
  list(o: Obj, key: string, path: string, def?: unknown[]): unknown[] {
    const v = o[key] ?? def;
    if (!Array.isArray(v)) {
      this.fail(at(path, key), 'must be a list');
      return [];
    }
    return v;
  }
}

function validCidr(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  const [ip, bits, ...rest] = s.split('/');
  if (rest.length > 0 || ip === undefined) return false;
  const v = isIP(ip);
  if (v === 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (v === 4 ? 32 : 128);
}

function headerTransform(r: Reader, v: unknown, path: string): HeaderTransform | undefined {
  if (v === undefined) return undefined;
  const o = r.obj(v, path, ['set', 'remove']);
  if (!o) return undefined;
  const out: HeaderTransform = {};
  if (o.set !== undefined) {
    const set = r.obj(o.set, `${path}.set`, null);
    if (set) {
      out.set = {};
      for (const [k, val] of Object.entries(set)) {
        if (!HEADER_RE.test(k)) r.fail(`${path}.set.${k}`, 'header names are letters, digits and "-"');
        else if (typeof val !== 'string' || !HEADER_VALUE_RE.test(val)) r.fail(`${path}.set.${k}`, 'letters, digits, space and ._:/=,+*- only');
        else out.set[k] = val;
      }
    }
  }
  if (o.remove !== undefined) {
    out.remove = [];
    r.list(o, 'remove', path).forEach((h, i) => {
      if (typeof h !== 'string' || !HEADER_RE.test(h)) r.fail(`${path}.remove[${i}]`, 'header names are letters, digits and "-"');
      else out.remove!.push(h);
    });
  }
  return out;
}

function rateLimit(r: Reader, v: unknown, path: string): RateLimitConfig | undefined {
  if (v === undefined) return undefined;
  const o = r.obj(v, path, ['requests', 'windowSeconds', 'key', 'burst']);
  if (!o) return undefined;
  return {
    requests: r.num(o, 'requests', path, 1, 1_000_000, undefined, true),
    windowSeconds: r.num(o, 'windowSeconds', path, 1, 86_400, undefined, true),
    key: r.oneOf(o, 'key', path, ['client', 'ip', 'global'] as const),
    burst: r.num(o, 'burst', path, 0, 1_000_000, 0, true),
  };
}

const ROUTE_KEYS = ['name', 'path', 'methods', 'service', 'stripPrefix', 'auth', 'rateLimit', 'cacheTtlSeconds', 'websocket', 'grpc', 'timeoutSeconds', 'bodyLimitMb', 'headers'];
const SERVICE_KEYS = ['name', 'port', 'instances', 'health', 'protocol', 'host', 'tls', 'sticky'];

/** Validates a parsed edge.yaml object (the whole EdgeSpec; only the gateway's parts are read). */
export function parseConfig(doc: unknown, file?: string): GatewayConfig {
  const r = new Reader();
  const root = r.obj(doc, '(root)', null);
  if (!root) throw new ConfigError(r.issues, file);

  const name = r.str(root, 'name', '', NAME_RE, 'a lowercase name (letters, digits, "-")');
  const compute = r.oneOf(root, 'compute', '', ['lambda', 'containers', 'vms'] as const, 'containers');
  const listenObj = r.obj(root.listen ?? {}, 'listen', null) ?? {};
  const listen = { host: r.oneOf(listenObj, 'host', 'listen', ['127.0.0.1', '0.0.0.0'] as const, '127.0.0.1') };

  const trustedProxies: string[] = [];
  r.list(root, 'trustedProxies', '', []).forEach((c, i) => {
    if (!validCidr(c)) r.fail(`trustedProxies[${i}]`, 'must be an IP address or CIDR (e.g. 10.0.0.0/8)');
    else trustedProxies.push(c as string);
  });

  const lim = r.obj(root.limits ?? {}, 'limits', ['clientHeaderTimeoutSeconds', 'clientBodyTimeoutSeconds', 'idleTimeoutSeconds', 'connectTimeoutSeconds', 'headerKb']) ?? {};
  const limits: Limits = {
    clientHeaderTimeoutSeconds: r.num(lim, 'clientHeaderTimeoutSeconds', 'limits', 0.05, 300, 10),
    clientBodyTimeoutSeconds: r.num(lim, 'clientBodyTimeoutSeconds', 'limits', 0.05, 3600, 15),
    idleTimeoutSeconds: r.num(lim, 'idleTimeoutSeconds', 'limits', 0.05, 3600, 65),
    connectTimeoutSeconds: r.num(lim, 'connectTimeoutSeconds', 'limits', 0.05, 75, 5),
    headerKb: r.num(lim, 'headerKb', 'limits', 1, 64, 16, true),
  };

  const services: ServiceConfig[] = [];
  r.list(root, 'services', '').forEach((s, i) => {
    const p = `services[${i}]`;
    const o = r.obj(s, p, SERVICE_KEYS);
    if (!o) return;
    const svc: ServiceConfig = {
      name: r.str(o, 'name', p, NAME_RE, 'a lowercase name (letters, digits, "-")'),
      port: r.num(o, 'port', p, 1, 65535, undefined, true),
      instances: r.num(o, 'instances', p, 1, 16, 1, true),
      health: r.str(o, 'health', p, PATH_RE, 'an absolute path', '/healthz'),
      protocol: r.oneOf(o, 'protocol', p, ['http', 'grpc'] as const, 'http'),
    };
    if (o.host !== undefined) {
      const h = o.host;
      if (typeof h !== 'string' || !(HOST_RE.test(h) || isIP(h) !== 0)) r.fail(`${p}.host`, 'must be a DNS name or an IP address');
      else svc.host = h;
    }
    if (o.tls !== undefined) svc.tls = r.bool(o, 'tls', p, false);
    if (svc.port + svc.instances - 1 > 65535) r.fail(`${p}.port`, 'instance ports exceed 65535');
    if (services.some((x) => x.name === svc.name)) r.fail(`${p}.name`, `duplicate service ${svc.name}`);
    services.push(svc);
  });
  if (services.length === 0 && !r.issues.some((x) => x.startsWith('services'))) r.fail('services', 'at least one service is needed');

  const authObj = r.obj(root.auth ?? {}, 'auth', ['jwt', 'apiKeys']) ?? {};
  const auth: GatewayConfig['auth'] = {};
  if (authObj.jwt !== undefined) {
    const j = r.obj(authObj.jwt, 'auth.jwt', ['issuer', 'audience', 'algorithms', 'jwksUrl', 'secretEnv', 'clockToleranceSeconds', 'forwardClaims']);
    if (j) {
      const jwt: JwtConfig = {
        issuer: r.str(j, 'issuer', 'auth.jwt', /^[A-Za-z0-9:/._-]{1,200}$/, 'an issuer id'),
        audience: r.str(j, 'audience', 'auth.jwt', /^[A-Za-z0-9:/._-]{1,200}$/, 'an audience id'),
        // Never defaulted: verifying without an explicit list lets the token pick (security.md C2).
        algorithms: r.list(j, 'algorithms', 'auth.jwt').filter((a, i) => {
          const ok = typeof a === 'string' && JWT_ALGS.includes(a);
          if (!ok) r.fail(`auth.jwt.algorithms[${i}]`, `must be one of ${JWT_ALGS.join(', ')}`);
          return ok;
        }) as string[],
        clockToleranceSeconds: r.num(j, 'clockToleranceSeconds', 'auth.jwt', 0, 300, 0, true),
        forwardClaims: r.list(j, 'forwardClaims', 'auth.jwt', ['sub']).filter((c, i) => {
          const ok = typeof c === 'string' && /^[a-z][a-z0-9_]{0,40}$/.test(c);
          if (!ok) r.fail(`auth.jwt.forwardClaims[${i}]`, 'claim names are lowercase letters, digits and "_"');
          return ok;
        }) as string[],
      };
      if (jwt.algorithms.length === 0) r.fail('auth.jwt.algorithms', 'list at least one algorithm');
      if (j.jwksUrl !== undefined) {
        if (typeof j.jwksUrl !== 'string' || !/^https?:\/\/[^\s]+$/.test(j.jwksUrl)) r.fail('auth.jwt.jwksUrl', 'must be an http(s) URL');
        else jwt.jwksUrl = j.jwksUrl;
      }
      if (j.secretEnv !== undefined) jwt.secretEnv = r.str(j, 'secretEnv', 'auth.jwt', ENV_RE, 'an environment variable name');
      auth.jwt = jwt;
    }
  }
  if (authObj.apiKeys !== undefined) {
    const a = r.obj(authObj.apiKeys, 'auth.apiKeys', ['header', 'keysEnv', 'quota']);
    if (a) {
      auth.apiKeys = {
        header: r.str(a, 'header', 'auth.apiKeys', HEADER_RE, 'a header name', 'x-api-key'),
        keysEnv: r.str(a, 'keysEnv', 'auth.apiKeys', ENV_RE, 'an environment variable name', 'API_KEYS'),
      };
      if (a.quota !== undefined) {
        const q = r.obj(a.quota, 'auth.apiKeys.quota', ['requests', 'periodSeconds']);
        if (q) auth.apiKeys.quota = { requests: r.num(q, 'requests', 'auth.apiKeys.quota', 1, Number.MAX_SAFE_INTEGER, undefined, true), periodSeconds: r.num(q, 'periodSeconds', 'auth.apiKeys.quota', 60, 31_622_400, undefined, true) };
      }
    }
  }

  const routes: RouteConfig[] = [];
  const routeNames = new Set<string>();
  const routePaths = new Set<string>();
  r.list(root, 'routes', '').forEach((x, i) => {
    const p = `routes[${i}]`;
    const o = r.obj(x, p, ROUTE_KEYS);
    if (!o) return;
    const route: RouteConfig = {
      name: r.str(o, 'name', p, NAME_RE, 'a lowercase name (letters, digits, "-")'),
      path: r.str(o, 'path', p, PATH_RE, 'an absolute path prefix of letters, digits, "-", "_", "~" and "." (no trailing "/")'),
      service: r.str(o, 'service', p, NAME_RE, 'a service name'),
      stripPrefix: r.bool(o, 'stripPrefix', p, true),
      auth: r.oneOf(o, 'auth', p, ['none', 'jwt', 'api-key'] as const, 'none'),
      websocket: r.bool(o, 'websocket', p, false),
      grpc: r.bool(o, 'grpc', p, false),
      timeoutSeconds: r.num(o, 'timeoutSeconds', p, 0.05, 3600, 30),
      bodyLimitMb: r.num(o, 'bodyLimitMb', p, 0.000001, 10_240, 1),
    };
    if (route.path.split('/').some((s) => s === '.' || s === '..')) r.fail(`${p}.path`, 'no "." or ".." segment');
    if (o.methods !== undefined) {
      const ms = r.list(o, 'methods', p);
      if (ms.length === 0) r.fail(`${p}.methods`, 'list at least one method, or leave it out for every method');
      route.methods = ms.filter((m, k) => {
        const ok = typeof m === 'string' && (METHODS as readonly string[]).includes(m);
        if (!ok) r.fail(`${p}.methods[${k}]`, `must be one of ${METHODS.join(', ')}`);
        return ok;
      }) as Method[];
    }
    const rl = rateLimit(r, o.rateLimit, `${p}.rateLimit`);
    if (rl) route.rateLimit = rl;
    if (o.cacheTtlSeconds !== undefined) route.cacheTtlSeconds = r.num(o, 'cacheTtlSeconds', p, 1, 86_400, undefined, true);
    if (o.headers !== undefined) {
      const h = r.obj(o.headers, `${p}.headers`, ['request', 'response']);
      if (h) {
        route.headers = {};
        const req = headerTransform(r, h.request, `${p}.headers.request`);
        const res = headerTransform(r, h.response, `${p}.headers.response`);
        if (req) route.headers.request = req;
        if (res) route.headers.response = res;
      }
    }
    if (routeNames.has(route.name)) r.fail(`${p}.name`, `duplicate route ${route.name}`);
    if (routePaths.has(route.path)) r.fail(`${p}.path`, `duplicate route path ${route.path}`);
    routeNames.add(route.name);
    routePaths.add(route.path);
    if (route.service && !services.some((s) => s.name === route.service)) r.fail(`${p}.service`, `unknown service ${route.service}`);
    if (route.auth === 'jwt' && !auth.jwt) r.fail(`${p}.auth`, 'auth: jwt needs auth.jwt');
    if (route.auth === 'api-key' && !auth.apiKeys) r.fail(`${p}.auth`, 'auth: api-key needs auth.apiKeys');
    routes.push(route);
  });
  if (routes.length === 0 && !r.issues.some((x) => x.startsWith('routes'))) r.fail('routes', 'at least one route is needed');

  const gw = r.obj(root.gateway ?? {}, 'gateway', ['port', 'adminPort', 'trustedProxies', 'replicas', 'redis', 'loadBalancing', 'lambdaEventFormat', 'allowedOrigins']) ?? {};
  const gateway: GatewayConfig['gateway'] = {
    port: r.num(gw, 'port', 'gateway', 0, 65535, 8088, true),
    adminPort: r.num(gw, 'adminPort', 'gateway', 0, 65535, 9901, true),
    replicas: r.num(gw, 'replicas', 'gateway', 1, 16, 1, true),
    loadBalancing: r.oneOf(gw, 'loadBalancing', 'gateway', ['round-robin', 'least-outstanding'] as const, 'round-robin'),
    allowedOrigins: [],
  };
  r.list(gw, 'allowedOrigins', 'gateway', []).forEach((u, i) => {
    let ok = false;
    if (typeof u === 'string') {
      try {
        ok = /^https?:$/.test(new URL(u).protocol);
      } catch {
        ok = false;
      }
    }
    if (!ok) r.fail(`gateway.allowedOrigins[${i}]`, 'must be an http(s) origin');
    else gateway.allowedOrigins.push(u as string);
  });
  if (gw.redis !== undefined) {
    const rd = r.obj(gw.redis, 'gateway.redis', ['url', 'failMode']);
    if (rd) gateway.redis = { url: r.str(rd, 'url', 'gateway.redis', /^redis:\/\/[A-Za-z0-9.:@/_-]{1,200}$/, 'a redis:// URL'), failMode: r.oneOf(rd, 'failMode', 'gateway.redis', ['open', 'closed'] as const, 'open') };
  }
  // The gateway believes X-Forwarded-For from gateway.trustedProxies (the reverse proxy in front of
  // it) when given; otherwise from the edge-wide trustedProxies.
  const gatewayTrusted: string[] = [];
  r.list(gw, 'trustedProxies', 'gateway', []).forEach((c, i) => {
    if (!validCidr(c)) r.fail(`gateway.trustedProxies[${i}]`, 'must be an IP address or CIDR (e.g. 127.0.0.1/32)');
    else gatewayTrusted.push(c as string);
  });
  if (gw.lambdaEventFormat !== undefined) gateway.lambdaEventFormat = r.oneOf(gw, 'lambdaEventFormat', 'gateway', ['1.0', '2.0'] as const);

  if (r.issues.length > 0) throw new ConfigError(r.issues, file);
  return { name, compute, listen, trustedProxies: gatewayTrusted.length > 0 ? gatewayTrusted : trustedProxies, limits, services, routes, auth, gateway };
}

/** Reads edge.yaml (YAML 1.2 core schema; duplicate keys, aliases bombs and unknown tags are errors). */
export function loadConfig(file: string): GatewayConfig {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (cause) {
    throw new ConfigError([`cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}`], file);
  }
  if (size > MAX_FILE_BYTES) throw new ConfigError([`file is larger than ${MAX_FILE_BYTES} bytes`], file);
  const text = readFileSync(file, 'utf8');
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true, strict: true });
  const problems = [...doc.errors, ...doc.warnings].map((e) => e.message.split('\n')[0] ?? e.message);
  if (problems.length > 0) throw new ConfigError(problems, file);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    throw new ConfigError([(cause as Error).message], file);
  }
  rejectPrototypeKeys(value, '', 0);
  // Lambda functions live beside edge.yaml (functions/<service>/index.ts).
  return { ...parseConfig(value, file), root: dirname(resolve(file)) };
}

function rejectPrototypeKeys(v: unknown, path: string, depth: number): void {
  if (depth > 64) throw new ConfigError([`${path || '(root)'}: nested too deeply`]);
  if (typeof v !== 'object' || v === null) return;
  for (const k of Object.keys(v)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw new ConfigError([`${path}${path ? '.' : ''}${k}: key not allowed`]);
    rejectPrototypeKeys((v as Obj)[k], `${path}${path ? '.' : ''}${k}`, depth + 1);
  }
}
