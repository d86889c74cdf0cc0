// Response caching with HAProxy's cache (configuration.txt §6): a small in-RAM cache, one section per
// distinct TTL. It only stores 200 responses to GET (HTTP/1.1+) without Authorization, that fit
// max-object-size, carry no Vary and have an explicit lifetime or validator; the key is Host + URI.
// Routes through the gateway are cached there, after auth and quotas: a cache in front of the gateway
// would answer before either runs.
import type { EdgeSpec, Route } from '../../spec/schema.js';
import { type Block, BlockBuilder } from './block.js';
import { cacheName } from './names.js';
import { CACHE_MAX_OBJECT_BYTES, CACHE_TOTAL_MB } from './options.js';
import { sizeLabel } from './units.js';
import { upstreamOf } from './upstreams.js';

const CACHEABLE_VAR = 'txn.cacheable';

export const cachedHere = (spec: EdgeSpec, route: Route): boolean => route.cacheTtlSeconds !== undefined && upstreamOf(spec, route).kind === 'service';

export function cacheBlocks(spec: EdgeSpec): Block[] {
  const ttls = [...new Set(spec.routes.filter((r) => cachedHere(spec, r)).map((r) => r.cacheTtlSeconds as number))].sort((a, b) => a - b);
  return ttls.map((ttl) =>
    new BlockBuilder(`cache ${cacheName(ttl)}`, [
      `Responses of routes with cacheTtlSeconds ${ttl}. A small RAM cache for small objects: at most ${sizeLabel(CACHE_MAX_OBJECT_BYTES)} each,`,
      `${CACHE_TOTAL_MB} MB in all, oldest evicted first; not a disk cache (put a CDN or a caching proxy in front for more).`,
    ])
      .line(`total-max-size ${CACHE_TOTAL_MB}`, `max-object-size ${CACHE_MAX_OBJECT_BYTES}`, `max-age ${ttl}`)
      .line('process-vary off  # responses with a Vary header are never cached')
      .build(),
  );
}

export function cacheComments(spec: EdgeSpec, route: Route, affinityCookie?: string): string[] {
  if (route.cacheTtlSeconds === undefined) return [];
  if (!cachedHere(spec, route)) return [`Caching (${route.cacheTtlSeconds}s) is done by the gateway, after auth and quotas; HAProxy would answer before them.`];
  const cookies = affinityCookie ? `cookies (but the ${affinityCookie} affinity cookie)` : 'Cookie';
  return [
    `Cache for ${route.cacheTtlSeconds}s: GET 200 responses to requests without ${cookies} or Authorization, not setting cookies.`,
    `The key is Host + the original URI (taken before the prefix is stripped). A response without Cache-Control`,
    `or Expires gets "s-maxage=${route.cacheTtlSeconds}" (HAProxy stores only responses with an explicit lifetime);`,
    'private, no-store, no-cache and max-age=0 responses are not stored.',
  ];
}

/**
 * Before any rewrite, so the key is the URI the client asked for. With sticky sessions a request
 * whose only cookie is the affinity cookie still counts as cookie-free: HAProxy strips that cookie
 * before forwarding (`indirect`), so the response cannot depend on it.
 */
export function cacheRequestLines(route: Route, affinityCookie?: string): string[] {
  const name = cacheName(route.cacheTtlSeconds as number);
  const set = `http-request set-var(${CACHEABLE_VAR}) bool(true) if { method GET }`;
  const noAuth = '!{ req.hdr(authorization) -m found }';
  return [
    `${set} !{ req.hdr(cookie) -m found } ${noAuth}`,
    ...(affinityCookie ? [`${set} { req.hdr_cnt(cookie) eq 1 } { req.fhdr(cookie) -m reg '^${affinityCookie}=[A-Za-z0-9-]+$' } ${noAuth}`] : []),
    `http-request cache-use ${name} if { var(${CACHEABLE_VAR}) -m bool }`,
  ];
}

export function cacheResponseLines(route: Route): string[] {
  const ttl = route.cacheTtlSeconds as number;
  const storable = `{ var(${CACHEABLE_VAR}) -m bool } { status 200 } !{ res.hdr(set-cookie) -m found }`;
  return [
    `http-response set-header Cache-Control "s-maxage=${ttl}" if ${storable} !{ res.hdr(cache-control) -m found } !{ res.hdr(expires) -m found }`,
    `http-response cache-store ${cacheName(ttl)} if ${storable}`,
  ];
}
