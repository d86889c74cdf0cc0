// The comparison table's rows-by-component, in COMPONENT_IDS order. One file per component id.
import { COMPONENT_IDS, type Component, type ComponentId } from '../types.js';
import alb from './alb.js';
import apigwHttp from './apigw-http.js';
import apigwRest from './apigw-rest.js';
import apigwWebsocket from './apigw-websocket.js';
import caddy from './caddy.js';
import clb from './clb.js';
import cloudfront from './cloudfront.js';
import ec2 from './ec2.js';
import ecs from './ecs.js';
import envoy from './envoy.js';
import gatewayApi from './gateway-api.js';
import haproxy from './haproxy.js';
import hosts from './hosts.js';
import lambda from './lambda.js';
import nginx from './nginx.js';
import nlb from './nlb.js';
import pods from './pods.js';
import redis from './redis.js';
import tsGateway from './ts-gateway.js';
import traefik from './traefik.js';
import vpcLink from './vpc-link.js';
import waf from './waf.js';

const BY_ID: Readonly<Record<ComponentId, Component>> = {
  cloudfront,
  waf,
  'apigw-rest': apigwRest,
  'apigw-http': apigwHttp,
  'apigw-websocket': apigwWebsocket,
  'vpc-link': vpcLink,
  alb,
  nlb,
  clb,
  nginx,
  haproxy,
  caddy,
  traefik,
  envoy,
  'ts-gateway': tsGateway,
  'gateway-api': gatewayApi,
  redis,
  lambda,
  ecs,
  ec2,
  pods,
  hosts,
};

export const COMPONENTS: readonly Component[] = COMPONENT_IDS.map((id) => BY_ID[id]);

/** The 15 components with a full row of capability cells (the columns of `compare`). */
export const MAIN_COMPONENT_IDS = [
  'apigw-rest', 'apigw-http', 'apigw-websocket', 'alb', 'nlb', 'clb', 'cloudfront', 'waf',
  'nginx', 'haproxy', 'caddy', 'traefik', 'envoy', 'ts-gateway', 'gateway-api',
] as const satisfies readonly ComponentId[];
export type MainComponentId = (typeof MAIN_COMPONENT_IDS)[number];

export function componentById(id: ComponentId): Component {
  return BY_ID[id];
}

/** Lookup for untrusted input (CLI arguments); undefined when the id is unknown. */
export function findComponent(id: string): Component | undefined {
  return Object.hasOwn(BY_ID, id) ? BY_ID[id as ComponentId] : undefined;
}
