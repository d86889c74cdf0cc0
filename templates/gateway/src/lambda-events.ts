// API Gateway Lambda proxy events and results, as the local gateway emulates them
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html):
//  - '1.0' (REST / HTTP API payload 1.0): resource, path, httpMethod, headers + multiValueHeaders,
//    queryStringParameters + multiValueQueryStringParameters, requestContext.identity,
//    requestContext.authorizer.claims; the result must be { statusCode, headers, multiValueHeaders,
//    body, isBase64Encoded }.
//  - '2.0' (HTTP API): rawPath, rawQueryString, routeKey, cookies[], headers with duplicates
//    comma-joined, requestContext.http, requestContext.authorizer.jwt.claims / .lambda; the result
//    may add `cookies` (one Set-Cookie each), and a result without statusCode is inferred as
//    200 application/json with the output as body.
//  - WebSocket APIs: $connect / $default / $disconnect events with requestContext.connectionId,
//    routeKey, eventType (CONNECT | MESSAGE | DISCONNECT).
// Header names are lowercase (HTTP APIs lowercase them). Bodies that are not text are base64.
import { isUtf8 } from 'node:buffer';
import { PolicyError } from './policies-shared.js';
import type { Identity, RouteConfig } from './types.js';

export type EventFormat = '1.0' | '2.0';

export interface HttpEventInput {
  format: EventFormat;
  method: string;
  /** The normalised request path (the prefix is kept: a function sees the public path). */
  path: string;
  /** Raw query string without "?". */
  query: string;
  rawHeaders: string[];
  body: Buffer;
  clientIp: string;
  route: RouteConfig;
  identity?: Identity;
  apiId: string;
  requestId: string;
  now: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the requestTime format of API Gateway. */
export function requestTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Text bodies are passed as UTF-8 strings, everything else base64 (isBase64Encoded: true). */
export function encodeBody(body: Buffer, contentType: string | undefined): { body: string; isBase64Encoded: boolean } {
  const ct = (contentType ?? '').toLowerCase();
  const text =
    ct === '' ||
    ct.startsWith('text/') ||
    /^application\/([\w.+-]*\+)?(json|xml)\b/.test(ct) ||
    ct.startsWith('application/javascript') ||
    ct.startsWith('application/x-www-form-urlencoded') ||
    ct.startsWith('application/graphql');
  if (text && isUtf8(body)) return { body: body.toString('utf8'), isBase64Encoded: false };
  return { body: body.toString('base64'), isBase64Encoded: true };
}

function headerMaps(rawHeaders: string[]): { single: Record<string, string>; multi: Record<string, string[]> } {
  const multi: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    (multi[name] ??= []).push(rawHeaders[i + 1] as string);
  }
  const single: Record<string, string> = {};
  for (const k of Object.keys(multi)) single[k] = (multi[k] as string[]).join(',');
  return { single, multi: { ...multi } };
}

function queryMaps(query: string): { multi: Record<string, string[]> } | null {
  if (query === '') return null;
  const multi: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [k, v] of new URLSearchParams(query)) (multi[k] ??= []).push(v);
  return { multi: { ...multi } };
}

/** API Gateway's view of the route: `/prefix/{proxy+}` with the rest of the path as `proxy`. */
export function resourceOf(route: RouteConfig, path: string): { resource: string; pathParameters: Record<string, string> | null } {
  const base = route.path === '/' ? '' : route.path;
  const rest = path.slice(base.length).replace(/^\//, '');
  if (rest === '') return { resource: route.path, pathParameters: null };
  return { resource: `${base}/{proxy+}`, pathParameters: { proxy: rest } };
}

function scopesOf(claims: Record<string, unknown> | undefined): string[] | null {
  const s = claims?.scope ?? claims?.scp;
  if (typeof s === 'string') return s.split(' ').filter((x) => x !== '');
  if (Array.isArray(s)) return s.filter((x): x is string => typeof x === 'string');
  return null;
}

export function httpEvent(input: HttpEventInput): Record<string, unknown> {
  const { format, method, path, query, route, identity, clientIp, now } = input;
  const { single, multi } = headerMaps(input.rawHeaders);
  const { resource, pathParameters } = resourceOf(route, path);
  const host = single.host ?? 'localhost';
  const domainPrefix = host.split('.')[0] ?? host;
  const userAgent = single['user-agent'] ?? '';
  const encoded = input.body.length > 0 ? encodeBody(input.body, single['content-type']) : null;
  const q = queryMaps(query);

  if (format === '1.0') {
    let authorizer: Record<string, unknown> = { claims: null, scopes: null };
    if (identity?.kind === 'jwt') authorizer = { claims: identity.claims ?? {}, scopes: scopesOf(identity.claims) };
    // API keys: what a Lambda authorizer would return (principalId + context); never the key itself.
    else if (identity?.kind === 'api-key') authorizer = { principalId: identity.subject, apiKeyId: identity.subject, integrationLatency: 0 };
    return {
      version: '1.0',
      resource,
      path,
      httpMethod: method,
      headers: single,
      multiValueHeaders: multi,
      queryStringParameters: q ? Object.fromEntries(Object.entries(q.multi).map(([k, v]) => [k, v[v.length - 1] as string])) : null,
      multiValueQueryStringParameters: q ? q.multi : null,
      requestContext: {
        accountId: '000000000000',
        apiId: input.apiId,
        authorizer,
        domainName: host,
        domainPrefix,
        extendedRequestId: input.requestId,
        httpMethod: method,
        identity: {
          accessKey: null,
          accountId: null,
          apiKeyId: identity?.kind === 'api-key' ? identity.subject : null,
          caller: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: clientIp,
          user: null,
          userAgent,
          userArn: null,
        },
        path,
        protocol: 'HTTP/1.1',
        requestId: input.requestId,
        requestTime: requestTime(now),
        requestTimeEpoch: now,
        resourceId: null,
        resourcePath: resource,
        stage: '$default',
      },
      pathParameters,
      stageVariables: null,
      body: encoded ? encoded.body : null,
      isBase64Encoded: encoded ? encoded.isBase64Encoded : false,
    };
  }

  // 2.0: cookies move out of the headers into `cookies` (one entry per cookie-pair).
  const cookies = (multi.cookie ?? []).flatMap((c) => c.split(';').map((x) => x.trim())).filter((x) => x !== '');
  delete single.cookie;
  const routeKey = `${route.methods && route.methods.length === 1 ? route.methods[0] : 'ANY'} ${resource}`;
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: query,
  };
  if (cookies.length > 0) event.cookies = cookies;
  event.headers = single;
  if (q) event.queryStringParameters = Object.fromEntries(Object.entries(q.multi).map(([k, v]) => [k, v.join(',')]));
  const requestContext: Record<string, unknown> = {
    accountId: '000000000000',
    apiId: input.apiId,
    domainName: host,
    domainPrefix,
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: clientIp, userAgent },
    requestId: input.requestId,
    routeKey,
    stage: '$default',
    time: requestTime(now),
    timeEpoch: now,
  };
  if (identity?.kind === 'jwt') requestContext.authorizer = { principalId: '', integrationLatency: 0, jwt: { claims: identity.claims ?? {}, scopes: scopesOf(identity.claims) } };
  else if (identity?.kind === 'api-key') requestContext.authorizer = { lambda: { apiKeyId: identity.subject, subject: identity.subject } };
  event.requestContext = requestContext;
  if (encoded) event.body = encoded.body;
  if (pathParameters) event.pathParameters = pathParameters;
  event.isBase64Encoded = encoded ? encoded.isBase64Encoded : false;
  return event;
}

export interface HttpResult {
  status: number;
  /** Flat [name, value, name, value, …] (Set-Cookie may repeat). */
  headers: string[];
  body: Buffer;
}

// Framing and hop-by-hop fields are the gateway's to set (RFC 9110 §7.6.1, RFC 9112 §6).
const RESULT_DROP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function bad(msg: string): never {
  throw new PolicyError('EW_GW_LAMBDA_BAD_RESPONSE', `malformed Lambda proxy response: ${msg}`);
}

function scalar(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return bad(`${what} must be a string`);
}

/** Maps a function's return value to an HTTP response; throws EW_GW_LAMBDA_BAD_RESPONSE (→ 502). */
export function httpResult(format: EventFormat, result: unknown, maxBytes: number): HttpResult {
  if (format === '2.0' && (typeof result !== 'object' || result === null || Array.isArray(result) || !('statusCode' in result))) {
    // 2.0 inference: any valid JSON without statusCode → 200, application/json, body = the output.
    if (result === undefined) bad('the function returned nothing');
    const body = Buffer.from(typeof result === 'string' ? result : JSON.stringify(result), 'utf8');
    if (body.length > maxBytes) bad('body too large');
    return { status: 200, headers: ['content-type', 'application/json'], body };
  }
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return bad('expected an object with statusCode');
  const r = result as Record<string, unknown>;
  const status = r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) bad('statusCode must be an integer from 100 to 599');
  const headers: string[] = [];
  const seen = new Set<string>();
  const add = (name: string, value: string): void => {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) bad('invalid header name');
    if (!FIELD_VALUE.test(value)) bad(`invalid value for header ${lower}`);
    if (RESULT_DROP.has(lower)) return;
    headers.push(lower, value);
    seen.add(lower);
  };
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) bad('headers must be an object');
    for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) add(k, scalar(v, `header ${k}`));
  }
  if (format === '1.0' && r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object' || Array.isArray(r.multiValueHeaders)) bad('multiValueHeaders must be an object');
    for (const [k, vs] of Object.entries(r.multiValueHeaders as Record<string, unknown>)) {
      if (!Array.isArray(vs)) bad(`multiValueHeaders.${k} must be a list`);
      // API Gateway merges both maps; a name in `headers` is not repeated.
      if (seen.has(k.toLowerCase())) continue;
      for (const v of vs as unknown[]) add(k, scalar(v, `header ${k}`));
    }
  }
  if (format === '2.0' && r.cookies !== undefined && r.cookies !== null) {
    if (!Array.isArray(r.cookies)) bad('cookies must be a list');
    for (const c of r.cookies as unknown[]) add('set-cookie', scalar(c, 'cookie'));
  }
  let body: Buffer;
  if (r.body === undefined || r.body === null) body = Buffer.alloc(0);
  else if (typeof r.body !== 'string') return bad('body must be a string');
  else body = r.isBase64Encoded === true ? Buffer.from(r.body, 'base64') : Buffer.from(r.body, 'utf8');
  if (body.length > maxBytes) bad('body too large');
  if (!seen.has('content-type') && body.length > 0) headers.push('content-type', 'application/json');
  return { status: status as number, headers, body };
}

export interface WsEventInput {
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
  connectionId: string;
  connectedAt: number;
  clientIp: string;
  apiId: string;
  requestId: string;
  now: number;
  /** CONNECT: the upgrade request's headers and query. */
  rawHeaders?: string[];
  query?: string;
  host?: string;
  userAgent?: string;
  /** MESSAGE */
  message?: { data: Buffer; isBinary: boolean; messageId: string };
  /** DISCONNECT */
  disconnect?: { statusCode: number; reason: string };
  identity?: Identity;
}

const ROUTE_KEYS = { CONNECT: '$connect', MESSAGE: '$default', DISCONNECT: '$disconnect' } as const;

export function wsEvent(input: WsEventInput): Record<string, unknown> {
  const requestContext: Record<string, unknown> = {
    routeKey: ROUTE_KEYS[input.eventType],
    eventType: input.eventType,
    extendedRequestId: input.requestId,
    requestTime: requestTime(input.now),
    messageDirection: 'IN',
    stage: '$default',
    connectedAt: input.connectedAt,
    requestTimeEpoch: input.now,
    identity: { sourceIp: input.clientIp, userAgent: input.userAgent ?? '' },
    requestId: input.requestId,
    domainName: input.host ?? 'localhost',
    connectionId: input.connectionId,
    apiId: input.apiId,
  };
  if (input.message) requestContext.messageId = input.message.messageId;
  if (input.disconnect) {
    requestContext.disconnectStatusCode = input.disconnect.statusCode;
    requestContext.disconnectReason = input.disconnect.reason;
  }
  if (input.identity?.kind === 'jwt') requestContext.authorizer = { principalId: input.identity.subject, claims: input.identity.claims ?? {} };
  else if (input.identity?.kind === 'api-key') requestContext.authorizer = { principalId: input.identity.subject, apiKeyId: input.identity.subject };
  const event: Record<string, unknown> = {};
  if (input.eventType === 'CONNECT') {
    const { single, multi } = headerMaps(input.rawHeaders ?? []);
    event.headers = single;
    event.multiValueHeaders = multi;
    const q = queryMaps(input.query ?? '');
    event.queryStringParameters = q ? Object.fromEntries(Object.entries(q.multi).map(([k, v]) => [k, v[v.length - 1] as string])) : null;
    event.multiValueQueryStringParameters = q ? q.multi : null;
  }
  event.requestContext = requestContext;
  if (input.message) {
    const { data, isBinary } = input.message;
    event.body = isBinary || !isUtf8(data) ? data.toString('base64') : data.toString('utf8');
    event.isBase64Encoded = isBinary || !isUtf8(data);
  } else event.isBase64Encoded = false;
  return event;
}
