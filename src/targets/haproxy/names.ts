// Section, server and ACL names. Spec names are lowercase DNS labels (schema NAME_RE), so every name
// below is a valid HAProxy identifier; distinct prefixes keep them from colliding.
export const FRONTEND = 'edge';
export const NO_ROUTE = 'no-route';
export const GATEWAY_POOL = 'gateway-pool';
export const TRUSTED_ACL = 'from-trusted-proxy';
export const CLIENT_IP_VAR = 'txn.client_ip';

export const routeBackend = (route: string): string => `route-${route}`;
export const routeAcl = (route: string): string => `route-${route}`;
export const servicePool = (service: string): string => `pool-${service}`;
export const rateTable = (route: string): string => `ratelimit-${route}`;
export const cacheName = (ttlSeconds: number): string => `ttl-${ttlSeconds}s`;
export const serverName = (upstream: string, instance: number): string => `${upstream}-${instance}`;
