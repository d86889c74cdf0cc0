// The rules of thumb, one per file (the file name is the rule id). Order is evaluation order.
import type { Rule } from '../types.js';
import serverlessApigwOnly from './serverless-apigw-only.js';
import serversAlbOnly from './servers-alb-only.js';
import serversApiControlApigwAlb from './servers-api-control-apigw-alb.js';
import internalDirectAlb from './internal-direct-alb.js';
import hybridTwoEntryPaths from './hybrid-two-entry-paths.js';
import selfHostedReverseProxy from './self-hosted-reverse-proxy.js';
import kubernetesGatewayApi from './kubernetes-gateway-api.js';
import gatewayForApiFeatures from './gateway-for-api-features.js';
import lambdaOffAws from './lambda-off-aws.js';
import clbLegacy from './clb-legacy.js';
import grpcNotOnApigw from './grpc-not-on-apigw.js';
import grpcNeedsServers from './grpc-needs-servers.js';
import l4NeedsNlb from './l4-needs-nlb.js';
import l4Lambda from './l4-lambda.js';
import l4LosesHttpFeatures from './l4-loses-http-features.js';
import udpProxySupport from './udp-proxy-support.js';
import tcpProxySupport from './tcp-proxy-support.js';
import websocketApi from './websocket-api.js';
import albLambdaNoWebsocket from './alb-lambda-no-websocket.js';
import websocketAlbNative from './websocket-alb-native.js';
import staticIpNlb from './static-ip-nlb.js';
import tlsPassthroughNlb from './tls-passthrough-nlb.js';
import tlsPassthroughProxy from './tls-passthrough-proxy.js';
import httpApiDefault from './http-api-default.js';
import apiKeysNeedRest from './api-keys-need-rest.js';
import quotasNeedRest from './quotas-need-rest.js';
import perClientThrottleNeedsRest from './per-client-throttle-needs-rest.js';
import cachingNeedsRest from './caching-needs-rest.js';
import wafNeedsRest from './waf-needs-rest.js';
import privateApiRest from './private-api-rest.js';
import transformsMapping from './transforms-mapping.js';
import httpApi30sTimeout from './http-api-30s-timeout.js';
import restTimeoutAbove29s from './rest-timeout-above-29s.js';
import apigwTimeoutCeiling from './apigw-timeout-ceiling.js';
import longRequestsAsync from './long-requests-async.js';
import albIdleTimeout from './alb-idle-timeout.js';
import apigwPayload10mb from './apigw-payload-10mb.js';
import lambdaPayload6mb from './lambda-payload-6mb.js';
import albLambda1mb from './alb-lambda-1mb.js';
import websocketMessage128kb from './websocket-message-128kb.js';
import apigwAccountThrottle from './apigw-account-throttle.js';
import apigwCostAtScale from './apigw-cost-at-scale.js';
import lowTrafficApigwCheaper from './low-traffic-apigw-cheaper.js';
import albLambdaHighRps from './alb-lambda-high-rps.js';
import stickyAlbCookie from './sticky-alb-cookie.js';
import stickyLambda from './sticky-lambda.js';
import stickyNlbSourceIp from './sticky-nlb-source-ip.js';
import stickyProxyCookie from './sticky-proxy-cookie.js';
import proxyPreference from './proxy-preference.js';
import proxyPreferenceOnAws from './proxy-preference-on-aws.js';
import proxyDefaultNginx from './proxy-default-nginx.js';
import proxyCaching from './proxy-caching.js';
import proxyGrpc from './proxy-grpc.js';
import kubernetesGatewayImplementation from './kubernetes-gateway-implementation.js';
import nginxPassiveHealthOnly from './nginx-passive-health-only.js';
import cloudfrontForCaching from './cloudfront-for-caching.js';
import wafAttachPoints from './waf-attach-points.js';
import wafNotOnNlb from './waf-not-on-nlb.js';
import wafSelfHosted from './waf-self-hosted.js';
import albRateLimitViaWaf from './alb-rate-limit-via-waf.js';
import rateLimitOnNlb from './rate-limit-on-nlb.js';
import iamNeedsApigw from './iam-needs-apigw.js';
import iamOffAws from './iam-off-aws.js';
import mtlsEdge from './mtls-edge.js';
import albJwtInstead from './alb-jwt-instead.js';
import albJwtVerify from './alb-jwt-verify.js';
import quotasNeedKeys from './quotas-need-keys.js';
import vpcLinkV2Alb from './vpc-link-v2-alb.js';
import vpcLinkIdle from './vpc-link-idle.js';
import lambdaPayloadFormat from './lambda-payload-format.js';
import singleInstance from './single-instance.js';
import redisSharedLimits from './redis-shared-limits.js';
import apigwRouteQuota from './apigw-route-quota.js';
import pathRouting from './path-routing.js';

export const RULES: readonly Rule[] = [
  serverlessApigwOnly,
  serversAlbOnly,
  serversApiControlApigwAlb,
  internalDirectAlb,
  hybridTwoEntryPaths,
  selfHostedReverseProxy,
  kubernetesGatewayApi,
  gatewayForApiFeatures,
  lambdaOffAws,
  clbLegacy,
  grpcNotOnApigw,
  grpcNeedsServers,
  l4NeedsNlb,
  l4Lambda,
  l4LosesHttpFeatures,
  udpProxySupport,
  tcpProxySupport,
  websocketApi,
  albLambdaNoWebsocket,
  websocketAlbNative,
  staticIpNlb,
  tlsPassthroughNlb,
  tlsPassthroughProxy,
  httpApiDefault,
  apiKeysNeedRest,
  quotasNeedRest,
  perClientThrottleNeedsRest,
  cachingNeedsRest,
  wafNeedsRest,
  privateApiRest,
  transformsMapping,
  httpApi30sTimeout,
  restTimeoutAbove29s,
  apigwTimeoutCeiling,
  longRequestsAsync,
  albIdleTimeout,
  apigwPayload10mb,
  lambdaPayload6mb,
  albLambda1mb,
  websocketMessage128kb,
  apigwAccountThrottle,
  apigwCostAtScale,
  lowTrafficApigwCheaper,
  albLambdaHighRps,
  stickyAlbCookie,
  stickyLambda,
  stickyNlbSourceIp,
  stickyProxyCookie,
  proxyPreference,
  proxyPreferenceOnAws,
  proxyDefaultNginx,
  proxyCaching,
  proxyGrpc,
  kubernetesGatewayImplementation,
  nginxPassiveHealthOnly,
  cloudfrontForCaching,
  wafAttachPoints,
  wafNotOnNlb,
  wafSelfHosted,
  albRateLimitViaWaf,
  rateLimitOnNlb,
  iamNeedsApigw,
  iamOffAws,
  mtlsEdge,
  albJwtInstead,
  albJwtVerify,
  quotasNeedKeys,
  vpcLinkV2Alb,
  vpcLinkIdle,
  lambdaPayloadFormat,
  singleInstance,
  redisSharedLimits,
  apigwRouteQuota,
  pathRouting,
];

export const ruleById = (id: string): Rule | undefined => RULES.find((r) => r.id === id);
