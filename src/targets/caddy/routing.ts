// Where each route goes: straight to its service's pool, or to the TypeScript gateway's pool.
// The gateway is the upstream when the topology has it (it does auth, per-client limits, quotas and
// the cache), and always for routes with auth: Caddy never enforces auth itself.
import type { EdgeSpec, Route } from '../../spec/schema.js';

export type Upstream = { kind: 'service'; service: string } | { kind: 'gateway' };

export const hasGatewayTier = (spec: EdgeSpec): boolean => spec.topology.components.includes('ts-gateway');

export function upstreamOf(spec: EdgeSpec, route: Route): Upstream {
  if (hasGatewayTier(spec)) return { kind: 'gateway' };
  if (route.auth !== 'none') return { kind: 'gateway' };
  return { kind: 'service', service: route.service };
}

/** Longest prefix first: Caddy tries sibling `handle` blocks with named matchers in file order. */
export const byPrefixLength = (a: Route, b: Route): number => b.path.length - a.path.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

