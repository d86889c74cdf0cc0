// Prices (us-east-1) for the monthly estimate, with the date they were read.
// Sources: aws-facts.md §1.5, §2.2, §3 (API Gateway and ELB pricing pages and AWS worked examples,
// read 2026-09-20; WAF third-party restatements, VERIFY; CloudFront pay-as-you-go).
import type { PriceSheet } from './types.js';

export const PRICES: PriceSheet = {
  asOf: '2026-09-20',
  region: 'us-east-1',
  sources: ['AG-PRICE', 'WP-COST', 'ELB-PRICE', 'WAF-PRICE', 'CF-PRICE'],
  hoursPerMonth: 730,
  secondsPerMonth: 2_628_000,
  httpApi: { tiers: [{ upToMillion: 300, usdPerMillion: 1.0 }, { upToMillion: Infinity, usdPerMillion: 0.9 }], meteredKb: 512 },
  restApi: {
    tiers: [
      { upToMillion: 333, usdPerMillion: 3.5 },
      { upToMillion: 1000, usdPerMillion: 2.8 },
      { upToMillion: 20_000, usdPerMillion: 2.38 },
      { upToMillion: Infinity, usdPerMillion: 1.51 },
    ],
    cache1_6GbPerHour: 0.038,
  },
  websocketApi: { usdPerMillionMessages: 1.0, usdPerMillionConnectionMinutes: 0.25 },
  alb: { perHour: 0.0225, perLcuHour: 0.008, newConnPerLcu: 25, activeConnPerMinPerLcu: 3000, gbPerHourPerLcu: 1, gbPerHourPerLcuLambda: 0.4, ruleEvalsPerLcu: 1000 },
  nlb: { perHour: 0.0225, perNlcuHour: 0.006, newFlowsPerNlcu: 800, activeFlowsPerNlcu: 100_000, gbPerHourPerNlcu: 1 },
  clb: { perHour: 0.025, perGb: 0.008 },
  waf: { perWebAcl: 5, perRule: 1, perMillionRequests: 0.6, assumedRules: 5 },
  cloudfront: { perTenThousandHttps: 0.01, perGb: 0.085 },
  dataTransferOutPerGb: 0.09,
};
