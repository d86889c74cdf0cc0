// Envoy Gateway policies: what the Gateway API cannot say portably (client timeouts, client IP
// detection, TLS versions, health checks, load balancing, rate limits). Implementation-specific:
// they only take effect with Envoy Gateway (gateway.envoyproxy.io/v1alpha1). Field names follow
// https://gateway.envoyproxy.io/docs/api/extension_types/ ; no schema for them ships with edgewise,
// so tests check them structurally only.
import type { EdgeSpec } from '../../spec/schema.js';
import { INTERMEDIATE_CIPHERS_OPENSSL, INTERMEDIATE_GROUPS_BORINGSSL } from '../tls-mozilla.js';
import { duration } from './duration.js';
import { GATEWAY_NAME, type K8sModel, type RouteModel, type Upstream } from './model.js';
import type { Annotated, ManifestFile } from './objects.js';

const API = 'gateway.envoyproxy.io/v1alpha1';
const GW_GROUP = 'gateway.networking.k8s.io';

/** Mozilla intermediate (../tls-mozilla.ts), BoringSSL names. */
export const MOZILLA_INTERMEDIATE_CIPHERS = INTERMEDIATE_CIPHERS_OPENSSL;

/** A CIDR for Envoy Gateway's `CIDR` type: a bare address gets its full prefix length. */
const asCidr = (s: string): string => (s.includes('/') ? s : s.includes(':') ? `${s}/128` : `${s}/32`);

function clientTrafficPolicy(m: K8sModel): Annotated {
  const { limits, trustedProxies } = m.spec;
  const spec: Record<string, unknown> = {
    targetRefs: [{ group: GW_GROUP, kind: 'Gateway', name: GATEWAY_NAME }],
    ...(trustedProxies.length > 0 ? { clientIPDetection: { xForwardedFor: { trustedCIDRs: trustedProxies.map(asCidr) } } } : {}),
    headers: { withUnderscoresAction: 'RejectRequest' },
    path: { escapedSlashesAction: 'UnescapeAndRedirect', disableMergeSlashes: false },
    timeout: { http: { requestReceivedTimeout: duration(limits.clientHeaderTimeoutSeconds + limits.clientBodyTimeoutSeconds), idleTimeout: duration(limits.idleTimeoutSeconds) } },
    ...(m.tls === 'terminate' ? { tls: { minVersion: '1.2', maxVersion: '1.3', ciphers: [...MOZILLA_INTERMEDIATE_CIPHERS], ecdhCurves: [...INTERMEDIATE_GROUPS_BORINGSSL] } } : {}),
  };
  return {
    object: { apiVersion: API, kind: 'ClientTrafficPolicy', metadata: { name: GATEWAY_NAME, namespace: m.namespace, labels: m.labels(GATEWAY_NAME) }, spec },
    comment: [
      ' Client side of every listener of the Gateway.',
      trustedProxies.length > 0
        ? ` X-Forwarded-For is believed only from ${trustedProxies.join(', ')} (trustedProxies); the client address is the first untrusted hop from the right.`
        : ' X-Forwarded-For: no trusted proxies, so the client address is the socket peer (Envoy appends it to X-Forwarded-For; backends must read the last entry).',
      ' In a cluster the socket peer is the client only if the Envoy Service keeps source IPs (externalTrafficPolicy: Local, set in the EnvoyProxy resource) or the load balancer in front is trusted.',
      ` Timeouts: the whole request must arrive within ${duration(limits.clientHeaderTimeoutSeconds + limits.clientBodyTimeoutSeconds)}, limits.clientHeaderTimeoutSeconds + clientBodyTimeoutSeconds`,
      ` (Envoy Gateway has no header-only timeout); idle connections close after ${duration(limits.idleTimeoutSeconds)}.`,
      ` Header limit ${limits.headerKb} KB: not in Envoy Gateway's API; Envoy's default (60 KiB, 431 above) applies.`,
      ' Headers with underscores are rejected (X_Forwarded_For smuggling); paths are normalised and slashes merged before routing.',
      ...(m.tls === 'terminate' ? [' TLS: Mozilla intermediate (TLS 1.2 and 1.3, ECDHE AEAD suites, no DHE).'] : []),
    ],
  };
}

const UNITS = [
  ['Second', 1],
  ['Minute', 60],
  ['Hour', 3600],
  ['Day', 86_400],
] as const;

/** Envoy Gateway limits count per Second/Minute/Hour/Day; other windows are scaled to the next unit. */
export function rateLimitValue(requests: number, windowSeconds: number): { requests: number; unit: string; exact: boolean } {
  const exact = UNITS.find(([, s]) => s === windowSeconds);
  if (exact) return { requests, unit: exact[0], exact: true };
  const [unit, size] = UNITS.find(([, s]) => s >= windowSeconds) ?? UNITS[UNITS.length - 1]!;
  return { requests: Math.max(1, Math.floor((requests * size) / windowSeconds)), unit, exact: false };
}

function rateLimit(rl: NonNullable<EdgeSpec['routes'][number]['rateLimit']>, up: Upstream): { spec?: Record<string, unknown>; lines: string[] } {
  if (rl.key === 'client' && up.viaTsGateway) return { lines: [' Rate limit per client: enforced by the TypeScript gateway (it knows the authenticated client).'] };
  const v = rateLimitValue(rl.requests, rl.windowSeconds);
  const limit = { requests: v.requests, unit: v.unit };
  const lines = [` Rate limit ${rl.requests} per ${rl.windowSeconds}s${v.exact ? '' : ` ≈ ${v.requests} per ${v.unit.toLowerCase()} (Envoy Gateway counts per second, minute, hour or day)`}; 429 above it.`];
  if (rl.burst > 0) lines.push(` Burst ${rl.burst}: not expressible; the bucket holds one window's requests.`);
  if (rl.key === 'global') {
    lines.push(' Key global: a Local limit, one bucket per Envoy replica (a cluster-wide bucket needs the Global type and the rate limit service).');
    return { spec: { type: 'Local', local: { rules: [{ limit }] } }, lines };
  }
  lines.push(
    ` Key ${rl.key === 'client' ? 'client (anonymous route: the client address)' : 'ip'}: one bucket per client address (after X-Forwarded-For resolution, never a raw header).`,
    ' Needs Envoy Gateway\'s rate limit service: enable rateLimit.backend (Redis) in the EnvoyGateway configuration, or this policy is rejected.',
  );
  const rule = (cidr: string) => ({ clientSelectors: [{ sourceCIDR: { type: 'Distinct', value: cidr } }], limit });
  return { spec: { type: 'Global', global: { rules: [rule('0.0.0.0/0'), rule('::/0')] } }, lines };
}

function healthCheck(up: Upstream): Record<string, unknown> {
  const active = up.health.type === 'HTTP'
    ? { type: 'HTTP', http: { path: up.health.path, expectedStatuses: [200] }, interval: '5s', timeout: '2s', unhealthyThreshold: 3, healthyThreshold: 2 }
    : { type: 'TCP', interval: '5s', timeout: '2s', unhealthyThreshold: 3, healthyThreshold: 2 };
  return { active, passive: { consecutive5XxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 } };
}

function backendTrafficPolicy(m: K8sModel, rm: RouteModel): Annotated {
  const names = [rm.name, ...(rm.plainTwin ? [rm.plainTwin] : [])];
  const rl = rm.route.rateLimit ? rateLimit(rm.route.rateLimit, rm.upstream) : { lines: [] };
  const up = rm.upstream;
  return {
    object: {
      apiVersion: API,
      kind: 'BackendTrafficPolicy',
      metadata: { name: rm.route.name, namespace: m.namespace, labels: m.labels(rm.route.name) },
      spec: {
        targetRefs: names.map((name) => ({ group: GW_GROUP, kind: rm.kind, name })),
        loadBalancer: { type: 'RoundRobin' },
        healthCheck: healthCheck(up),
        timeout: { tcp: { connectTimeout: duration(m.spec.limits.connectTimeoutSeconds) } },
        ...(rl.spec ? { rateLimit: rl.spec } : {}),
      },
    },
    comment: [
      ` Route ${rm.route.name} → ${up.service}:${up.port}: round robin over the ready pods;`,
      ` active health check (${up.health.type === 'HTTP' ? `GET ${up.health.path}` : 'TCP connect'} every 5s) and passive ejection after 5 consecutive 5xx.`,
      ...rl.lines,
    ],
  };
}

function tlsPassthroughPolicy(m: K8sModel): Annotated {
  const up = m.passthrough!;
  return {
    object: {
      apiVersion: API,
      kind: 'BackendTrafficPolicy',
      metadata: { name: 'tls-passthrough', namespace: m.namespace, labels: m.labels('tls-passthrough') },
      spec: { targetRefs: [{ group: GW_GROUP, kind: 'TLSRoute', name: 'tls-passthrough' }], healthCheck: healthCheck(up), timeout: { tcp: { connectTimeout: duration(m.spec.limits.connectTimeoutSeconds) } } },
    },
    comment: [' TLS passthrough backend: TCP health checks only (the traffic is opaque).'],
  };
}

export function envoyGatewayFiles(m: K8sModel): ManifestFile[] {
  if (m.impl.id !== 'envoy-gateway') return [];
  const docs = [clientTrafficPolicy(m), ...m.routes.map((rm) => backendTrafficPolicy(m, rm)), ...(m.tls === 'passthrough' && m.passthrough ? [tlsPassthroughPolicy(m)] : [])];
  return [
    {
      path: 'k8s/policies/envoy-gateway.yaml',
      header: [
        'Envoy Gateway policies (gateway.envoyproxy.io/v1alpha1): implementation-specific, they need Envoy Gateway',
        'and do nothing elsewhere. Remove this file from kustomization.yaml for another implementation.',
      ],
      docs,
    },
  ];
}
