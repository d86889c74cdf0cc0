// Which Gateway API implementation runs the Gateway, chosen from spec.proxy. The GatewayClass is
// created when the implementation is installed, so the class name is a documented convention, not
// something edgewise can check: `kubectl get gatewayclass` shows the names in your cluster.
import type { EdgeSpec } from '../../spec/schema.js';

export interface Implementation {
  id: 'envoy-gateway' | 'traefik' | 'nginx-gateway-fabric' | 'haproxy';
  title: string;
  /** gatewayClassName in the generated Gateway. */
  gatewayClass: string;
  /** Where the name comes from. */
  classSource: string;
  /** Where rate limits, health checks, client timeouts and TLS versions live for this implementation. */
  policies: string;
  /** Why this implementation was used when spec.proxy has none of its own. */
  substitute?: string;
}

const ENVOY_GATEWAY: Implementation = {
  id: 'envoy-gateway',
  title: 'Envoy Gateway',
  gatewayClass: 'eg',
  classSource: 'the GatewayClass of the Envoy Gateway quickstart (https://gateway.envoyproxy.io/docs/tasks/quickstart/)',
  policies: 'Envoy Gateway ClientTrafficPolicy and BackendTrafficPolicy (generated in policies/envoy-gateway.yaml)',
};

const IMPLEMENTATIONS: Record<EdgeSpec['proxy'], Implementation> = {
  envoy: ENVOY_GATEWAY,
  // Caddy has no Gateway API controller we can point to; Envoy Gateway is the default on Kubernetes
  // (rule kubernetes-gateway-implementation).
  caddy: { ...ENVOY_GATEWAY, substitute: 'Caddy has no Gateway API implementation; Envoy Gateway (the default on Kubernetes) is used instead' },
  traefik: {
    id: 'traefik',
    title: 'Traefik Proxy',
    gatewayClass: 'traefik',
    classSource: 'the GatewayClass the Traefik Helm chart creates with providers.kubernetesGateway.enabled=true',
    policies: 'Traefik Middleware resources (rateLimit, buffering, headers) attached with HTTPRoute ExtensionRef filters, and the entryPoint options of the Traefik install (not generated)',
  },
  nginx: {
    id: 'nginx-gateway-fabric',
    title: 'NGINX Gateway Fabric',
    gatewayClass: 'nginx',
    classSource: 'the GatewayClass NGINX Gateway Fabric installs',
    policies: 'NGINX Gateway Fabric\'s own resources (ClientSettingsPolicy: body size, client timeouts; SnippetsFilter: limit_req; not generated)',
  },
  haproxy: {
    id: 'haproxy',
    title: 'HAProxy',
    gatewayClass: 'haproxy',
    classSource: 'a GatewayClass you create for the HAProxy Gateway API controller (HAProxy Unified Gateway or HAProxy Kubernetes Ingress Controller; check which route kinds your version supports)',
    policies: 'the HAProxy controller\'s own configuration (not generated)',
  },
};

export const implementationFor = (spec: EdgeSpec): Implementation => IMPLEMENTATIONS[spec.proxy];
