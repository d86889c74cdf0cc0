// A simple monthly model of the front door's cost (aws-facts.md §6). Compute (Lambda, ECS, EC2,
// hosts, pods) is not priced: it is the same whichever edge you pick.
import { PRICES } from '../knowledge/prices.js';
import type { ComponentId, PriceSheet } from '../knowledge/types.js';
import type { Answers } from './answers.js';

const KB_PER_REQUEST = 3; // 1 KB request + 2 KB response
const REQUESTS_PER_CONNECTION = 10;
const round2 = (n: number): number => Math.round(n * 100) / 100;

function tiered(millions: number, tiers: PriceSheet['httpApi']['tiers']): number {
  let left = millions;
  let prev = 0;
  let usd = 0;
  for (const t of tiers) {
    const span = Math.min(left, t.upToMillion - prev);
    if (span <= 0) break;
    usd += span * t.usdPerMillion;
    left -= span;
    prev = t.upToMillion;
  }
  return usd;
}

export interface Cost {
  monthlyUsd: number;
  byComponent: Record<string, number>;
  pricesAsOf: string;
  assumptions: string[];
}

export function estimateCost(components: readonly ComponentId[], a: Answers, p: PriceSheet = PRICES): Cost {
  const has = (c: ComponentId): boolean => components.includes(c);
  const wsShare = has('apigw-websocket') ? (a.protocols.every((x) => x === 'websocket') ? 1 : 0.5) : 0;
  const requestsM = (a.rps * p.secondsPerMonth) / 1e6;
  const gbPerHour = (a.rps * KB_PER_REQUEST * 3600) / 1e6;
  const newConnPerSec = a.rps / REQUESTS_PER_CONNECTION;
  const byComponent: Record<string, number> = {};
  const assumptions = [
    `Prices for ${p.region} as of ${p.asOf}; an estimate of the front door only — check the AWS Pricing Calculator before you commit.`,
    `The peak of ${a.rps} requests/s is priced as if sustained all month (${round2(requestsM)} M requests): an upper bound.`,
    `${KB_PER_REQUEST} KB processed per request; ${REQUESTS_PER_CONNECTION} requests per connection (keep-alive).`,
    'Compute (Lambda, ECS, EC2, your hosts or pods) is not included; free tiers and credits are ignored.',
  ];

  if (has('apigw-http')) byComponent['apigw-http'] = round2(tiered(requestsM * (1 - wsShare), p.httpApi.tiers));
  if (has('apigw-rest')) {
    let usd = tiered(requestsM * (1 - wsShare), p.restApi.tiers);
    if (a.caching) {
      usd += p.restApi.cache1_6GbPerHour * p.hoursPerMonth;
      assumptions.push(`REST stage cache of 1.6 GB at $${p.restApi.cache1_6GbPerHour}/h.`);
    }
    byComponent['apigw-rest'] = round2(usd);
  }
  if (has('apigw-websocket')) {
    const messagesM = requestsM * wsShare;
    const connections = Math.max(1, a.rps / REQUESTS_PER_CONNECTION);
    const connMinutesM = (connections * p.hoursPerMonth * 60) / 1e6;
    byComponent['apigw-websocket'] = round2(messagesM * p.websocketApi.usdPerMillionMessages + connMinutesM * p.websocketApi.usdPerMillionConnectionMinutes);
    assumptions.push(`WebSocket: ${Math.round(wsShare * 100)}% of requests are messages (≤32 KB each); ${round2(connections)} connections open all month.`);
  }
  if (has('alb')) {
    const lambdaTargets = has('lambda');
    const lcu = Math.max(newConnPerSec / p.alb.newConnPerLcu, gbPerHour / (lambdaTargets ? p.alb.gbPerHourPerLcuLambda : p.alb.gbPerHourPerLcu));
    byComponent.alb = round2(p.hoursPerMonth * (p.alb.perHour + p.alb.perLcuHour * lcu));
    assumptions.push(`ALB: ${round2(lcu)} LCU (no more than 10 listener rules evaluated per request).`);
  }
  if (has('nlb')) {
    const nlcu = Math.max(newConnPerSec / p.nlb.newFlowsPerNlcu, gbPerHour / p.nlb.gbPerHourPerNlcu);
    byComponent.nlb = round2(p.hoursPerMonth * (p.nlb.perHour + p.nlb.perNlcuHour * nlcu));
  }
  if (has('clb')) byComponent.clb = round2(p.hoursPerMonth * p.clb.perHour + gbPerHour * p.hoursPerMonth * p.clb.perGb);
  if (has('cloudfront')) {
    byComponent.cloudfront = round2(requestsM * 100 * p.cloudfront.perTenThousandHttps + gbPerHour * p.hoursPerMonth * p.cloudfront.perGb * (2 / 3));
    assumptions.push('CloudFront pay-as-you-go (HTTPS requests + data out); flat-rate plans (since 2025-11-18) may be cheaper.');
  }
  if (has('waf')) {
    byComponent.waf = round2(p.waf.perWebAcl + p.waf.perRule * p.waf.assumedRules + requestsM * p.waf.perMillionRequests);
    assumptions.push(`WAF: one web ACL with ${p.waf.assumedRules} rules (third-party price restatements: VERIFY).`);
  }
  if (components.some((c) => c === 'nginx' || c === 'haproxy' || c === 'caddy' || c === 'traefik' || c === 'envoy' || c === 'ts-gateway' || c === 'redis')) {
    assumptions.push('Self-hosted proxies, the TypeScript gateway and Redis are open source: their cost is the hosts they run on.');
  }
  if (has('vpc-link')) assumptions.push('The VPC link is not priced separately here.');
  if (a.platform === 'aws') {
    const dto = round2(((a.rps * 2 * p.secondsPerMonth) / 1e6) * p.dataTransferOutPerGb);
    assumptions.push(`Internet data transfer out (not in the total; the same for every AWS front door): about $${dto}/month at 2 KB per response.`);
  }
  const monthlyUsd = round2(Object.values(byComponent).reduce((s, x) => s + x, 0));
  return { monthlyUsd, byComponent, pricesAsOf: p.asOf, assumptions };
}
