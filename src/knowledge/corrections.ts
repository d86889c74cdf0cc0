// Where the seed document's comparison table is wrong, dated or too coarse (aws-facts.md §4), with sources.
// Ids are stable; the matching cells carry a `correction` too.
import type { ComponentId, SourceKey } from './types.js';

export interface SeedCorrection {
  id: string;
  seedClaim: string;
  verdict: 'wrong' | 'dated' | 'oversimplified' | 'misleading' | 'true-with-caveat';
  correction: string;
  sources: readonly SourceKey[];
  /** Components whose cells carry this correction (for filtering in `compare`). */
  components?: readonly ComponentId[];
}

export const SEED_CORRECTIONS: readonly SeedCorrection[] = [
  {
    id: 'elb-no-auth',
    seedClaim: 'ELB: no authentication or authorization, only "limited TLS client certs".',
    verdict: 'wrong',
    correction:
      'ALB signs users in with OIDC or Cognito (HTTPS listeners), verifies JWT bearer tokens (2025-11-21) and does mTLS in verify or passthrough mode (2023-11-26). NLB has mTLS verify mode (recent, check availability). What ELB lacks next to API Gateway: IAM/SigV4, API keys, usage plans and custom Lambda authorizers.',
    sources: ['ALB-AUTH', 'ALB-JWT', 'ALB-MTLS', 'NLB-MTLS'],
    components: ['alb'],
  },
  {
    id: 'elb-no-rate-limit',
    seedClaim: 'ELB: no rate limiting or throttling.',
    verdict: 'oversimplified',
    correction:
      'An ALB with AWS WAF rate-based rules limits requests per IP, header, cookie, path and other keys over 60–600 s windows (minimum 10, approximate). There are no per-client quotas or billing plans, and NLB cannot take WAF.',
    sources: ['WAF-RATE', 'WAF-RES'],
    components: ['alb'],
  },
  {
    id: 'elb-no-caching',
    seedClaim: 'ELB: no caching.',
    verdict: 'true-with-caveat',
    correction:
      'True for ALB and NLB themselves. Put CloudFront in front (VPC origins reach private load balancers); among API Gateway types only REST has a stage cache.',
    sources: ['CF-VPCO', 'AG-CACHE'],
  },
  {
    id: 'elb-no-transforms',
    seedClaim: 'ELB: no request/response transforms.',
    verdict: 'oversimplified',
    correction:
      'ALB rewrites URLs and host headers (2025-10-15) and modifies request and response headers (2025-02-28); it has no body transforms.',
    sources: ['ALB-XFORM', 'ALB-HIST'],
    components: ['alb'],
  },
  {
    id: 'elb-no-serverless',
    seedClaim: 'ELB: no integration with serverless.',
    verdict: 'wrong',
    correction:
      'ALB invokes Lambda functions as targets (1 MB request and response, no WebSockets) and reaches Fargate tasks and pods as IP targets. NLB has no Lambda targets.',
    sources: ['ALB-LAMBDA', 'BP-LB'],
    components: ['alb'],
  },
  {
    id: 'elb-waf-all-types',
    seedClaim: 'ELB: security / WAF via AWS WAF integration.',
    verdict: 'oversimplified',
    correction: 'Only ALB takes an AWS WAF web ACL. NLB and CLB cannot; filter them with security groups or put CloudFront or an ALB with WAF in the path.',
    sources: ['WAF-RES', 'BP-DEC'],
    components: ['nlb', 'clb'],
  },
  {
    id: 'apigw-waf-all-types',
    seedClaim: 'API Gateway: security / WAF.',
    verdict: 'oversimplified',
    correction: 'Only REST APIs take AWS WAF. HTTP and WebSocket APIs need CloudFront with WAF in front.',
    sources: ['WAF-RES', 'AG-VS'],
    components: ['apigw-http', 'apigw-websocket'],
  },
  {
    id: 'apigw-limited-load-balancing',
    seedClaim: 'API Gateway: load balancing "limited (can route traffic)".',
    verdict: 'misleading',
    correction:
      'API Gateway is not a load balancer: it hands traffic to ALB or NLB through VPC links (or Cloud Map for HTTP APIs), Lambda scales itself, and REST canaries split deployments. Read it as "n/a, delegates to ALB/NLB".',
    sources: ['AG-PRIV', 'AG-HTTPPRIV'],
    components: ['apigw-rest', 'apigw-http'],
  },
  {
    id: 'apigw-grpc',
    seedClaim: 'API Gateway routes requests to services over REST, WebSocket and gRPC.',
    verdict: 'wrong',
    correction:
      'No API Gateway type supports gRPC (no end-to-end HTTP/2 or trailers). Use an ALB with a gRPC target group, CloudFront (gRPC over HTTP/2) or a self-hosted proxy such as Envoy.',
    sources: ['AG-INTTYPES', 'ALB-TG', 'CF-GRPC', 'BP-DEC'],
    components: ['apigw-rest', 'apigw-http', 'apigw-websocket'],
  },
  {
    id: 'apigw-fixed-29s-timeout',
    seedClaim: '(implied) API Gateway integrations time out at a fixed 29 s.',
    verdict: 'dated',
    correction:
      'REST APIs default to 29 s, but Regional and private REST APIs can go higher through Service Quotas (2024-06-04, possibly lowering account RPS); REST response streaming runs up to 15 min (2025-11-19). HTTP APIs stop at 30 s and WebSocket at 29 s, neither adjustable.',
    sources: ['AG-TO-WN', 'AG-STREAM', 'AG-HTTPQ', 'AG-WSQ'],
    components: ['apigw-rest'],
  },
  {
    id: 'rest-private-alb-needs-nlb',
    seedClaim: '(implied) A REST API reaches a private ALB only through an NLB.',
    verdict: 'dated',
    correction: 'VPC link V2 connects REST APIs directly to a private ALB since 2025-11-21; VPC link V1 (NLB only) is legacy.',
    sources: ['AG-PRIV', 'AG-HIST', 'AG-V1'],
    components: ['vpc-link'],
  },
  {
    id: 'proxy-basic-load-balancing',
    seedClaim: 'Reverse proxy: load balancing "basic".',
    verdict: 'wrong',
    correction:
      'nginx OSS has round robin, least_conn, ip_hash, consistent hash and random; HAProxy ten algorithms with active checks; Envoy least request, ring hash, Maglev, zone-aware balancing and outlier detection, richer than ALB. The trade-off is operating them yourself (HA, patching, scaling), usually still behind an NLB on AWS.',
    sources: ['NGX-LB', 'NGX-PLUS', 'HAP-CONF', 'ENVOY-LB'],
    components: ['nginx', 'haproxy', 'caddy', 'traefik', 'envoy'],
  },
  {
    id: 'proxy-no-serverless',
    seedClaim: 'Reverse proxy: no integration with serverless.',
    verdict: 'true-with-caveat',
    correction: 'True for nginx, HAProxy, Caddy and Traefik; Envoy has a stable AWS Lambda filter that invokes functions directly.',
    sources: ['ENVOY-EXT'],
    components: ['envoy'],
  },
];
