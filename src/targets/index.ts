// The target registry: every output family by id.
import type { TargetId } from '../spec/schema.js';
import { caddyTarget } from './caddy/index.js';
import { envoyTarget } from './envoy/index.js';
import { gatewayTarget } from './gateway/index.js';
import { haproxyTarget } from './haproxy/index.js';
import { k8sTarget } from './k8s/index.js';
import { nginxTarget } from './nginx/index.js';
import { traefikTarget } from './traefik/index.js';
import type { ProxyTarget, Target } from './types.js';

export interface Registry {
  targets: Partial<Record<TargetId, Target>>;
  proxies: Partial<Record<ProxyTarget['id'], ProxyTarget>>;
}

export const REGISTRY: Registry = {
  targets: { gateway: gatewayTarget, k8s: k8sTarget },
  proxies: { nginx: nginxTarget, haproxy: haproxyTarget, caddy: caddyTarget, traefik: traefikTarget, envoy: envoyTarget },
};

export const isProxyId = (id: string): id is ProxyTarget['id'] => ['nginx', 'haproxy', 'caddy', 'traefik', 'envoy'].includes(id);
