import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANSWER_KEYS } from '../src/engine/answers.js';
import { leaves } from '../src/engine/conditions.js';
import { DERIVED_FACTS, toFacts } from '../src/engine/facts.js';
import { CANDIDATES } from '../src/knowledge/candidates.js';
import { COMPONENTS } from '../src/knowledge/components/index.js';
import { QUESTIONS } from '../src/knowledge/questions.js';
import { RULES } from '../src/knowledge/rules/index.js';
import { SOURCES } from '../src/knowledge/sources.js';
import { COMPONENT_IDS, PROXY_IDS, type Condition, type Leaf } from '../src/knowledge/types.js';
import { DEFAULT_ANSWERS } from '../src/engine/answers.js';

/** Ids are forever: a rule may be added (add it here) but never renamed or removed. */
const PINNED_RULE_IDS = [
  'alb-idle-timeout',
  'alb-jwt-instead',
  'alb-jwt-verify',
  'alb-lambda-1mb',
  'alb-lambda-high-rps',
  'alb-lambda-no-websocket',
  'alb-rate-limit-via-waf',
  'api-keys-need-rest',
  'apigw-account-throttle',
  'apigw-cost-at-scale',
  'apigw-payload-10mb',
  'apigw-route-quota',
  'apigw-timeout-ceiling',
  'caching-needs-rest',
  'clb-legacy',
  'cloudfront-for-caching',
  'gateway-for-api-features',
  'grpc-needs-servers',
  'grpc-not-on-apigw',
  'http-api-30s-timeout',
  'http-api-default',
  'hybrid-two-entry-paths',
  'iam-needs-apigw',
  'iam-off-aws',
  'internal-direct-alb',
  'kubernetes-gateway-api',
  'kubernetes-gateway-implementation',
  'l4-lambda',
  'l4-loses-http-features',
  'l4-needs-nlb',
  'lambda-off-aws',
  'lambda-payload-6mb',
  'lambda-payload-format',
  'long-requests-async',
  'low-traffic-apigw-cheaper',
  'mtls-edge',
  'nginx-passive-health-only',
  'path-routing',
  'per-client-throttle-needs-rest',
  'private-api-rest',
  'proxy-caching',
  'proxy-default-nginx',
  'proxy-grpc',
  'proxy-preference',
  'proxy-preference-on-aws',
  'quotas-need-keys',
  'quotas-need-rest',
  'rate-limit-on-nlb',
  'redis-shared-limits',
  'rest-timeout-above-29s',
  'self-hosted-reverse-proxy',
  'serverless-apigw-only',
  'servers-alb-only',
  'servers-api-control-apigw-alb',
  'single-instance',
  'static-ip-nlb',
  'sticky-alb-cookie',
  'sticky-lambda',
  'sticky-nlb-source-ip',
  'sticky-proxy-cookie',
  'tcp-proxy-support',
  'tls-passthrough-nlb',
  'tls-passthrough-proxy',
  'transforms-mapping',
  'udp-proxy-support',
  'vpc-link-idle',
  'vpc-link-v2-alb',
  'waf-attach-points',
  'waf-needs-rest',
  'waf-not-on-nlb',
  'waf-self-hosted',
  'websocket-alb-native',
  'websocket-api',
  'websocket-message-128kb',
];

const POST_FACTS = ['components', 'topology', 'api', 'apiName', 'payloadFormat', 'proxyChosen'];
const CANDIDATE_IDS = CANDIDATES.map((c) => c.id);

describe('rule inventory', () => {
  it('pins the rule ids', () => {
    expect(RULES.map((r) => r.id).sort()).toEqual([...PINNED_RULE_IDS].sort());
    expect(RULES.length).toBeGreaterThanOrEqual(25);
  });
  it('keeps one rule per file, named for its id', () => {
    const files = readdirSync(new URL('../src/knowledge/rules/', import.meta.url)).filter((f) => f !== 'index.ts');
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(RULES.map((r) => r.id).sort());
  });
  it('has unique ids', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });
  it('encodes the seed document\'s rules of thumb', () => {
    expect(RULES.filter((r) => r.seed).map((r) => r.id).sort()).toEqual(
      ['hybrid-two-entry-paths', 'internal-direct-alb', 'self-hosted-reverse-proxy', 'serverless-apigw-only', 'servers-alb-only', 'servers-api-control-apigw-alb'].sort(),
    );
  });
});

const knownFacts = new Set([...ANSWER_KEYS, ...Object.keys(DERIVED_FACTS)]);

function checkLeaf(l: Leaf, post: boolean, where: string): void {
  const isPost = POST_FACTS.includes(l.fact);
  expect(knownFacts.has(l.fact) || (post && isPost), `${where}: unknown fact ${l.fact}`).toBe(true);
  const q = QUESTIONS.find((x) => x.id === l.fact);
  const vals = Array.isArray(l.value) ? l.value : [l.value];
  if (q?.choices) for (const v of vals) expect(q.choices.map((c) => c.value), `${where}: ${l.fact} value ${String(v)}`).toContain(v);
  if (l.fact === 'components' || l.fact === 'computeId') for (const v of vals) expect(COMPONENT_IDS as readonly unknown[], `${where}: component ${String(v)}`).toContain(v);
}

const conditionsOf = (c: Condition): Leaf[] => leaves(c);

describe('meta: every id a rule or question mentions exists', () => {
  for (const r of RULES) {
    it(r.id, () => {
      expect(r.sources.length, 'has a source').toBeGreaterThan(0);
      for (const s of r.sources) expect(Object.keys(SOURCES), `source ${s}`).toContain(s);
      expect(r.title.length).toBeGreaterThan(5);
      expect(r.rationale.length).toBeGreaterThan(20);
      for (const l of conditionsOf(r.when)) checkLeaf(l, r.phase === 'post', r.id);
      const e = r.effect;
      for (const id of [...(e.exclude ?? []), ...Object.keys(e.prefer ?? {})]) expect(CANDIDATE_IDS, `candidate ${id}`).toContain(id);
      for (const p of [...(e.proxy?.exclude ?? []), ...Object.keys(e.proxy?.prefer ?? {}), ...(e.proxy?.require ? [e.proxy.require] : [])]) expect(PROXY_IDS as readonly string[]).toContain(p);
      for (const a of e.addOns ?? []) expect(COMPONENT_IDS as readonly string[]).toContain(a);
      if (r.phase === 'post') expect(e.exclude ?? e.prefer ?? e.api ?? e.proxy, 'post rules do not steer the choice').toBeUndefined();
      for (const m of r.message.matchAll(/\{([A-Za-z]+)\}/g)) expect(knownFacts.has(m[1]!) || POST_FACTS.includes(m[1]!), `placeholder ${m[1]}`).toBe(true);
    });
  }
  it('questions: one per answer key, askIf only reads answers', () => {
    expect(QUESTIONS.map((q) => q.id)).toEqual(ANSWER_KEYS);
    expect(ANSWER_KEYS).toEqual(['platform', 'compute', 'services', 'instances', 'protocols', 'clients', 'auth', 'rateLimit', 'quotas', 'transforms', 'caching', 'waf', 'staticIp', 'stickySessions', 'tls', 'rps', 'maxPayloadMb', 'maxRequestSeconds', 'proxy']);
    for (const q of QUESTIONS) {
      expect(q.flag).toBe('--' + q.id.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));
      if (q.askIf) for (const l of conditionsOf(q.askIf)) checkLeaf(l, false, q.id);
    }
  });
  it('derived facts are all computed', () => {
    const f = toFacts(DEFAULT_ANSWERS);
    for (const k of Object.keys(DERIVED_FACTS)) expect(f, k).toHaveProperty(k);
  });
  it('every component a candidate can put in a topology exists in the comparison data', () => {
    const ids = COMPONENTS.map((c) => c.id);
    for (const c of CANDIDATES) for (const p of c.paths) for (const h of p.hops) if (!h.startsWith('$')) expect(ids).toContain(h);
    expect([...ids].sort()).toEqual([...COMPONENT_IDS].sort());
  });
  it('every candidate is reachable by some rule or is the base choice of its platform', () => {
    const mentioned = new Set(RULES.flatMap((r) => [...Object.keys(r.effect.prefer ?? {}), ...(r.effect.exclude ?? [])]));
    for (const c of CANDIDATES) expect(mentioned.has(c.id) || c.base >= 10, c.id).toBe(true);
  });
});
