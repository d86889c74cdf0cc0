// Per-route rate limits as stick tables. A table counts requests over a sliding window of
// windowSeconds; more than requests + burst in a window → 429. Keys are the socket address (or
// the address a trusted proxy reported), or one shared bucket; never a header the client sets.
// Per-client keys (API key, JWT subject) are only known to the gateway, which enforces them.
import type { EdgeSpec, Route } from '../../spec/schema.js';
import { type Block, BlockBuilder } from './block.js';
import { CLIENT_IP_VAR, rateTable } from './names.js';
import { RATE_TABLE_SIZE } from './options.js';
import { upstreamOf } from './upstreams.js';

export interface RateLimitPlan {
  table: string;
  key: 'address' | 'global';
  /** Requests allowed in one window (requests + burst): HAProxy counts a window, it has no token bucket. */
  allowed: number;
  windowSeconds: number;
  describe: string;
}

/** What HAProxy enforces for a route (null: nothing, or the gateway does it), and why, as comments. */
export function rateLimitOf(spec: EdgeSpec, route: Route): { plan: RateLimitPlan | null; comments: string[] } {
  const rl = route.rateLimit;
  if (!rl) return { plan: null, comments: [] };
  const what = `${rl.requests} requests per ${rl.windowSeconds}s, burst ${rl.burst}`;
  const base = { table: rateTable(route.name), allowed: rl.requests + rl.burst, windowSeconds: rl.windowSeconds };
  if (rl.key === 'global') {
    return { plan: { ...base, key: 'global', describe: `${what}, one bucket for all clients` }, comments: [] };
  }
  if (rl.key === 'client' && upstreamOf(spec, route).kind === 'gateway') {
    return { plan: null, comments: [`Rate limit (${what} per client) is enforced by the gateway: only it knows the API key or JWT subject.`] };
  }
  const comments =
    rl.key === 'client' ? ['key: client on a route without auth: every caller is anonymous, so the client is its address.'] : [];
  return { plan: { ...base, key: 'address', describe: `${what}, per client address (IPv6: per /64)` }, comments };
}

export const ipRateLimited = (spec: EdgeSpec): boolean => spec.routes.some((r) => rateLimitOf(spec, r).plan?.key === 'address');

export function rateTableBlock(plan: RateLimitPlan, route: Route): Block {
  const expire = Math.max(plan.windowSeconds * 2, 10);
  const type = plan.key === 'global' ? 'integer size 1' : `ipv6 size ${RATE_TABLE_SIZE}`;
  return new BlockBuilder(`backend ${plan.table}`, [`Request rate of route ${route.name} (${plan.describe}).`])
    .line(`stick-table type ${type} expire ${expire}s store http_req_rate(${plan.windowSeconds}s)`)
    .build();
}

/** Lines for the route backend: count the request, then refuse it past the limit. */
export function rateLimitLines(plan: RateLimitPlan): string[] {
  const key = plan.key === 'global' ? 'int(1)' : `var(${CLIENT_IP_VAR}),ipmask(32,64)`;
  return [
    `http-request track-sc0 ${key} table ${plan.table}`,
    `http-request deny deny_status 429 content-type application/json string '{"error":"rate_limited"}' hdr Retry-After ${plan.windowSeconds} if { sc_http_req_rate(0,${plan.table}) gt ${plan.allowed} }`,
  ];
}
