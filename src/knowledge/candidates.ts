// Topology candidates: the shapes edgewise can recommend. Rules score and exclude them; the engine
// picks the best one that no rule excluded. Hops with `$` are resolved by the engine.
import type { Candidate } from './types.js';

export const CANDIDATES: readonly Candidate[] = [
  // ---- AWS, functions
  {
    id: 'apigw-lambda', idTemplate: 'apigw-{api}-lambda', platform: 'aws', base: 10,
    summary: 'API Gateway invokes Lambda functions directly; no load balancer.',
    applicable: { fact: 'computeId', op: 'eq', value: 'lambda' },
    paths: [
      { clients: 'all', hops: ['$api', '$compute'] },
      { clients: 'all', protocols: 'websocket', hops: ['apigw-websocket', '$compute'] },
    ],
  },
  {
    id: 'alb-lambda', idTemplate: 'alb-lambda', platform: 'aws', base: 3,
    summary: 'An Application Load Balancer with Lambda targets: hourly pricing, no API management.',
    applicable: { fact: 'computeId', op: 'eq', value: 'lambda' },
    paths: [{ clients: 'all', hops: ['alb', '$compute'] }],
  },
  // ---- AWS, servers (ECS or EC2)
  {
    id: 'alb', idTemplate: 'alb', platform: 'aws', base: 10,
    summary: 'An Application Load Balancer in front of the services: health checks, path routing, TLS.',
    applicable: { fact: 'servers', op: 'eq', value: true },
    paths: [{ clients: 'all', hops: ['alb', '$compute'] }],
  },
  {
    id: 'apigw-alb', idTemplate: 'apigw-{api}-alb', platform: 'aws', base: 5,
    summary: 'API Gateway for API-level control, then a VPC link to a private ALB that balances the services.',
    applicable: { fact: 'servers', op: 'eq', value: true },
    paths: [
      { clients: 'all', hops: ['$api', 'vpc-link', 'alb', '$compute'] },
      { clients: 'all', protocols: 'websocket', hops: ['apigw-websocket', 'vpc-link', 'nlb', '$compute'] },
    ],
  },
  {
    id: 'hybrid', idTemplate: 'hybrid-apigw-{api}-alb', platform: 'aws', base: 4,
    summary: 'External traffic through API Gateway and a VPC link; internal traffic straight to the same private ALB.',
    applicable: { all: [{ fact: 'servers', op: 'eq', value: true }, { fact: 'mixedClients', op: 'eq', value: true }] },
    paths: [
      { clients: 'external', hops: ['$api', 'vpc-link', 'alb', '$compute'] },
      { clients: 'external', protocols: 'websocket', hops: ['apigw-websocket', 'vpc-link', 'nlb', '$compute'] },
      { clients: 'internal', hops: ['alb', '$compute'] },
    ],
  },
  {
    id: 'cloudfront-alb', idTemplate: 'cloudfront-alb', platform: 'aws', base: 3,
    summary: 'CloudFront caches at the edge and reaches a private ALB through a VPC origin.',
    applicable: { fact: 'servers', op: 'eq', value: true },
    paths: [{ clients: 'all', hops: ['cloudfront', 'alb', '$compute'] }],
  },
  {
    id: 'nlb', idTemplate: 'nlb', platform: 'aws', base: 3,
    summary: 'A Network Load Balancer: layer 4, static IPs, TCP/UDP and TLS passthrough.',
    applicable: { fact: 'servers', op: 'eq', value: true },
    paths: [{ clients: 'all', hops: ['nlb', '$compute'] }],
  },
  {
    id: 'nlb-alb', idTemplate: 'nlb-alb', platform: 'aws', base: 2,
    summary: 'A Network Load Balancer for static IPs with an ALB as its target for layer-7 routing.',
    paths: [{ clients: 'all', hops: ['nlb', 'alb', '$compute'] }],
  },
  {
    id: 'clb', idTemplate: 'clb', platform: 'aws', base: 0,
    summary: 'A Classic Load Balancer (previous generation).',
    applicable: { fact: 'servers', op: 'eq', value: true },
    paths: [{ clients: 'all', hops: ['clb', '$compute'] }],
  },
  // ---- self-hosted
  {
    id: 'reverse-proxy', idTemplate: 'reverse-proxy', platform: 'self-hosted', base: 10,
    summary: 'A reverse proxy terminates TLS, routes by path and balances across the service instances.',
    paths: [{ clients: 'all', hops: ['$proxy', '$compute'] }],
  },
  {
    id: 'proxy-gateway', idTemplate: 'reverse-proxy-ts-gateway', platform: 'self-hosted', base: 5,
    summary: 'A reverse proxy at the edge, then the TypeScript gateway for authentication, quotas and per-client limits.',
    paths: [{ clients: 'all', hops: ['$proxy', 'ts-gateway', '$compute'] }],
  },
  // ---- Kubernetes
  {
    id: 'gateway-api', idTemplate: 'gateway-api', platform: 'kubernetes', base: 10,
    summary: 'A Kubernetes Gateway API Gateway with HTTPRoutes to the services, implemented by a proxy controller.',
    paths: [{ clients: 'all', hops: ['gateway-api', '$compute'] }],
    extra: ['$proxy'],
  },
  {
    id: 'gateway-api-gateway', idTemplate: 'gateway-api-ts-gateway', platform: 'kubernetes', base: 5,
    summary: 'Gateway API at the cluster edge, then the TypeScript gateway for authentication, quotas and per-client limits.',
    paths: [{ clients: 'all', hops: ['gateway-api', 'ts-gateway', '$compute'] }],
    extra: ['$proxy'],
  },
];

export const candidateById = (id: string): Candidate | undefined => CANDIDATES.find((c) => c.id === id);
