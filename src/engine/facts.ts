// Answers → facts: the answers themselves plus derived facts that rules read.
import type { Answers } from './answers.js';
import type { Facts } from './conditions.js';

/** Derived facts, with what they mean (shown by `explain --facts`). */
export const DERIVED_FACTS: Readonly<Record<string, string>> = {
  computeId: 'the compute component: lambda, ecs, ec2 (AWS), hosts (self-hosted), pods (Kubernetes)',
  servers: 'backend runs on long-lived servers (containers or VMs), not functions',
  external: 'some clients come from outside (public or partners)',
  internalOnly: 'every client is internal / trusted',
  mixedClients: 'both internal and external clients',
  needsApiControl: 'API-level control at the edge: authentication, throttling, quotas or transforms',
  needsApiGwOnly: 'a feature only API Gateway offers among AWS managed services: API keys, IAM (SigV4), usage quotas, per-client throttling',
  needsGatewayFeatures: 'a feature a plain reverse proxy lacks: JWT or API-key auth, quotas, per-client limits',
  restOnlyNeeds: 'API Gateway features only REST APIs have (api-keys, quotas, per-client throttling, caching, waf, private)',
  restOnly: 'some REST-only feature is needed (restOnlyNeeds is not empty)',
  l4: 'raw TCP or UDP traffic',
  httpFamily: 'HTTP, WebSocket or gRPC traffic',
  requestsPerMonthM: 'millions of requests a month at the given peak, if sustained (rps × 2.628)',
};

export function toFacts(a: Answers): Facts {
  const computeId =
    a.platform === 'kubernetes' ? 'pods' : a.platform === 'self-hosted' ? 'hosts' : a.compute === 'lambda' ? 'lambda' : a.compute === 'containers' ? 'ecs' : 'ec2';
  const authEdge = a.auth.filter((x) => x !== 'none');
  const external = a.clients.includes('public') || a.clients.includes('partners');
  const needsApiControl = authEdge.length > 0 || a.rateLimit !== 'none' || a.quotas || a.transforms;
  const needsApiGwOnly = a.auth.includes('api-key') || a.auth.includes('iam') || a.quotas || a.rateLimit === 'per-client';
  const needsGatewayFeatures = a.auth.includes('api-key') || a.auth.includes('jwt') || a.quotas || a.rateLimit === 'per-client';
  const restOnlyNeeds: string[] = [];
  if (a.auth.includes('api-key')) restOnlyNeeds.push('api-keys');
  if (a.quotas) restOnlyNeeds.push('quotas');
  if (a.rateLimit === 'per-client') restOnlyNeeds.push('per-client');
  if (a.caching) restOnlyNeeds.push('caching');
  if (a.waf) restOnlyNeeds.push('waf');
  if (!external) restOnlyNeeds.push('private');
  // One object literal with a fixed shape: rules read facts by key on the hot path.
  return {
    platform: a.platform,
    compute: a.compute,
    services: a.services,
    instances: a.instances,
    protocols: a.protocols,
    clients: a.clients,
    auth: a.auth,
    rateLimit: a.rateLimit,
    quotas: a.quotas,
    transforms: a.transforms,
    caching: a.caching,
    waf: a.waf,
    staticIp: a.staticIp,
    stickySessions: a.stickySessions,
    tls: a.tls,
    rps: a.rps,
    maxPayloadMb: a.maxPayloadMb,
    maxRequestSeconds: a.maxRequestSeconds,
    proxy: a.proxy,
    computeId,
    servers: a.compute !== 'lambda' || a.platform !== 'aws',
    external,
    internalOnly: !external,
    mixedClients: external && a.clients.includes('internal'),
    needsApiControl,
    needsApiGwOnly,
    needsGatewayFeatures,
    restOnlyNeeds,
    restOnly: restOnlyNeeds.length > 0,
    l4: a.protocols.includes('tcp') || a.protocols.includes('udp'),
    httpFamily: a.protocols.some((p) => p === 'http' || p === 'websocket' || p === 'grpc'),
    requestsPerMonthM: Math.round(a.rps * 2.628 * 1000) / 1000,
    // Filled in after the choice, for 'post' rules (declared here so the object keeps one shape).
    components: [] as string[],
    topology: '',
    api: 'none',
    apiName: 'none',
    payloadFormat: '2.0',
    proxyChosen: 'none',
  } satisfies Record<keyof Answers, unknown> & Record<string, unknown>;
}
