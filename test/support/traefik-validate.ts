// Offline validation of Traefik v3 configs (the binary is not installed here) — see
// ../shared/reference/validation.md §1: ajv (draft-07, strict: false) against SchemaStore's
// traefik-v3.json (static) and traefik-v3-file-provider.json (dynamic), read from ../shared at
// test time, plus what the schemas cannot see: references between routers, services,
// middlewares, transports, entry points and TLS options, and the router rule syntax.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export const TRAEFIK_SCHEMA_DIR = fileURLToPath(new URL('../../../shared/schemas/traefik/', import.meta.url));

type Obj = Record<string, unknown>;

export interface TraefikValidation {
  ok: boolean;
  errors: string[];
}

let compiled: { static: ValidateFunction; dynamic: ValidateFunction } | undefined;

function validators(): { static: ValidateFunction; dynamic: ValidateFunction } {
  if (compiled) return compiled;
  const load = (f: string): Obj => JSON.parse(readFileSync(`${TRAEFIK_SCHEMA_DIR}${f}`, 'utf8')) as Obj;
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  compiled = { static: ajv.compile(load('traefik-v3.json')), dynamic: ajv.compile(load('traefik-v3-file-provider.json')) };
  return compiled;
}

const fmt = (e: ErrorObject): string => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`;

function run(v: ValidateFunction, doc: unknown): TraefikValidation {
  const ok = v(doc) as boolean;
  return { ok, errors: ok ? [] : (v.errors ?? []).map(fmt) };
}

export const validateTraefikStatic = (doc: unknown): TraefikValidation => run(validators().static, doc);
export const validateTraefikDynamic = (doc: unknown): TraefikValidation => run(validators().dynamic, doc);

// ---------------------------------------------------------------- rule syntax (Traefik v3, HTTP)

const MATCHERS: Record<string, number | 'any'> = {
  Host: 1, HostRegexp: 1, Path: 1, PathPrefix: 1, PathRegexp: 1, Method: 1, Header: 2, HeaderRegexp: 2, Query: 'any', QueryRegexp: 'any', ClientIP: 1,
};

/** Checks a router rule: matchers with backtick arguments, `&&`, `||`, `!` and parentheses. */
export function ruleErrors(rule: string): string[] {
  const tokens = rule.match(/`[^`]*`|&&|\|\||[()!,]|[A-Za-z]+|\S/g) ?? [];
  let i = 0;
  const errors: string[] = [];
  const peek = (): string | undefined => tokens[i];
  const expect = (t: string): void => {
    if (tokens[i] !== t) throw new Error(`expected ${t} at token ${i} (${tokens[i] ?? 'end'})`);
    i++;
  };
  const matcher = (): void => {
    const name = tokens[i++] ?? '';
    const arity = MATCHERS[name];
    if (arity === undefined) throw new Error(`unknown matcher ${name}`);
    expect('(');
    const args: string[] = [];
    while (peek()?.startsWith('`')) {
      args.push((tokens[i++] ?? '').slice(1, -1));
      if (peek() === ',') i++;
    }
    expect(')');
    if (arity !== 'any' && args.length !== arity) throw new Error(`${name} takes ${arity} argument(s), got ${args.length}`);
    if ((name === 'Path' || name === 'PathPrefix') && !args[0]?.startsWith('/')) throw new Error(`${name} must start with "/"`);
  };
  const unary = (): void => {
    if (peek() === '!') {
      i++;
      unary();
    } else if (peek() === '(') {
      i++;
      or();
      expect(')');
    } else matcher();
  };
  const and = (): void => {
    unary();
    while (peek() === '&&') {
      i++;
      unary();
    }
  };
  const or = (): void => {
    and();
    while (peek() === '||') {
      i++;
      and();
    }
  };
  try {
    or();
    if (i !== tokens.length) throw new Error(`unexpected ${tokens[i] ?? ''}`);
  } catch (e) {
    errors.push(`rule ${JSON.stringify(rule)}: ${(e as Error).message}`);
  }
  return errors;
}

// ---------------------------------------------------------------- cross references

// https://doc.traefik.io/traefik/reference/routing-configuration/http/load-balancing/serverstransport/
const INTERNAL_SERVICES = new Set(['noop@internal', 'api@internal', 'dashboard@internal', 'ping@internal', 'prometheus@internal']);
const HTTP_KEYS = new Set(['routers', 'services', 'middlewares', 'serversTransports']);
const TRANSPORT_KEYS = new Set(['serverName', 'insecureSkipVerify', 'rootCAs', 'certificates', 'maxIdleConnsPerHost', 'forwardingTimeouts', 'disableHTTP2', 'peerCertURI', 'spiffe']);
const FORWARDING_KEYS = new Set(['dialTimeout', 'responseHeaderTimeout', 'idleConnTimeout', 'readIdleTimeout', 'pingTimeout']);

const keys = (o: unknown): string[] => (o && typeof o === 'object' ? Object.keys(o) : []);
const at = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Obj)[k] : undefined), o);

/** What the schemas cannot check: every name a router or service uses exists, nothing dangles. */
export function crossCheckTraefik(staticDoc: unknown, dynamicDoc: unknown, dynamicPath?: string): string[] {
  const errors: string[] = [];
  const entryPoints = new Set(keys(at(staticDoc, 'entryPoints')));
  const services = new Set(keys(at(dynamicDoc, 'http', 'services')));
  const middlewares = new Set(keys(at(dynamicDoc, 'http', 'middlewares')));
  const transports = new Set(keys(at(dynamicDoc, 'http', 'serversTransports')));
  const tlsOptions = new Set(keys(at(dynamicDoc, 'tls', 'options')));
  const usedServices = new Set<string>();
  const usedMiddlewares = new Set<string>();
  const usedTransports = new Set<string>();
  if (dynamicPath !== undefined && at(staticDoc, 'providers', 'file', 'filename') !== dynamicPath) errors.push(`providers.file.filename is not ${dynamicPath}`);
  // The file-provider schema leaves `http` open and does not describe serversTransports: check their keys here.
  for (const k of keys(at(dynamicDoc, 'http'))) if (!HTTP_KEYS.has(k)) errors.push(`http.${k} is not a Traefik http section`);
  for (const [name, t] of Object.entries((at(dynamicDoc, 'http', 'serversTransports') ?? {}) as Record<string, Obj>)) {
    for (const k of keys(t)) if (!TRANSPORT_KEYS.has(k)) errors.push(`serversTransport ${name}: unknown field ${k}`);
    for (const k of keys(t.forwardingTimeouts)) if (!FORWARDING_KEYS.has(k)) errors.push(`serversTransport ${name}: unknown forwardingTimeouts field ${k}`);
  }
  for (const [name, r] of Object.entries((at(dynamicDoc, 'http', 'routers') ?? {}) as Record<string, Obj>)) {
    const service = String(r.service ?? '');
    // `<name>@internal` are Traefik's built-in services (noop@internal, api@internal, …).
    if (!services.has(service) && !(service.endsWith('@internal') && INTERNAL_SERVICES.has(service))) errors.push(`router ${name}: service ${service} is not defined`);
    usedServices.add(service);
    for (const m of (r.middlewares ?? []) as string[]) {
      if (!middlewares.has(m)) errors.push(`router ${name}: middleware ${m} is not defined`);
      usedMiddlewares.add(m);
    }
    for (const ep of (r.entryPoints ?? []) as string[]) if (!entryPoints.has(ep)) errors.push(`router ${name}: entry point ${ep} is not defined`);
    const options = at(r, 'tls', 'options');
    if (typeof options === 'string' && !tlsOptions.has(options)) errors.push(`router ${name}: TLS options ${options} are not defined`);
    if (r.tls !== undefined && !keys(at(dynamicDoc, 'tls')).includes('certificates')) errors.push(`router ${name}: TLS without certificates`);
    errors.push(...ruleErrors(String(r.rule ?? '')).map((e) => `router ${name}: ${e}`));
  }
  for (const [name, s] of Object.entries((at(dynamicDoc, 'http', 'services') ?? {}) as Record<string, Obj>)) {
    const t = at(s, 'loadBalancer', 'serversTransport');
    if (typeof t === 'string') {
      if (!transports.has(t)) errors.push(`service ${name}: serversTransport ${t} is not defined`);
      usedTransports.add(t);
    }
    for (const srv of (at(s, 'loadBalancer', 'servers') ?? []) as Obj[]) {
      try {
        const u = new URL(String(srv.url));
        if (!['http:', 'https:', 'h2c:'].includes(u.protocol)) errors.push(`service ${name}: server scheme ${u.protocol}`);
      } catch {
        errors.push(`service ${name}: server url ${String(srv.url)} is not a URL`);
      }
    }
  }
  for (const s of services) if (!usedServices.has(s)) errors.push(`service ${s} is never used`);
  for (const m of middlewares) if (!usedMiddlewares.has(m)) errors.push(`middleware ${m} is never used`);
  for (const t of transports) if (!usedTransports.has(t)) errors.push(`serversTransport ${t} is never used`);
  return errors;
}
