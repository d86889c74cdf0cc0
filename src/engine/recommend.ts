// Answers → Recommendation. Pure and deterministic: no I/O, no colour, no clock.
//
// 1. facts = answers + derived facts
// 2. every 'pre' rule whose condition holds fires: it excludes or scores candidates, constrains the
//    API Gateway type, or steers the proxy choice
// 3. the best-scoring candidate that no rule excluded wins (ties: list order); if every candidate is
//    excluded, the least-excluded one wins and each violated rule becomes a warning
// 4. 'post' rules read the chosen components and add reasons, warnings and add-ons
// 5. alternatives (with the rules that rejected them), what-ifs and the cost estimate
import { RULES } from '../knowledge/rules/index.js';
import { CANDIDATES } from '../knowledge/candidates.js';
import { KNOWLEDGE_VERSION } from '../knowledge/version.js';
import { PROXY_IDS, type ApiKind, type Candidate, type ComponentId, type Hop, type ProxyId, type Rule } from '../knowledge/types.js';
import type { Answers } from './answers.js';
import { predicate, type Facts } from './conditions.js';
import { toFacts } from './facts.js';
import { estimateCost } from './cost.js';
import type { Path, Recommendation, RuleRef } from './recommendation.js';
import { whatIf } from './whatif.js';

export interface Knowledge {
  rules: readonly Rule[];
  candidates: readonly Candidate[];
}

export const DEFAULT_KNOWLEDGE: Knowledge = { rules: RULES, candidates: CANDIDATES };

interface Fired {
  rule: Rule;
  message: string;
}

export interface Resolved {
  candidate: Candidate;
  id: string;
  score: number;
  excludedBy: string[];
  api?: ApiKind;
  paths: Path[];
  components: ComponentId[];
}

export interface Choice {
  chosen: Resolved;
  ranked: Resolved[];
  fired: Fired[];
  proxy: ProxyId;
  proxyConflicts: Fired[];
  facts: Facts;
}

/** Fills `{fact}` placeholders from the facts (lists joined with ", "). */
export function fillMessage(template: string, facts: Facts): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (m, key: string) => {
    const v = facts[key];
    if (v === undefined) return m;
    return Array.isArray(v) ? v.join(', ') : String(v);
  });
}

interface CompiledRules {
  pre: { rule: Rule; test: (f: Facts) => boolean }[];
  post: { rule: Rule; test: (f: Facts) => boolean }[];
}
const compiledRules = new WeakMap<readonly Rule[], CompiledRules>();

/** Rules split by phase with their conditions compiled, once per rule set. */
function compileRules(rules: readonly Rule[]): CompiledRules {
  let c = compiledRules.get(rules);
  if (!c) {
    const entry = (rule: Rule) => ({ rule, test: predicate(rule.when) });
    c = { pre: rules.filter((r) => (r.phase ?? 'pre') === 'pre').map(entry), post: rules.filter((r) => r.phase === 'post').map(entry) };
    compiledRules.set(rules, c);
  }
  return c;
}

function fire(rules: readonly Rule[], phase: 'pre' | 'post', facts: Facts): Fired[] {
  const out: Fired[] = [];
  for (const { rule, test } of compileRules(rules)[phase]) {
    if (test(facts)) out.push({ rule, message: rule.message.includes('{') ? fillMessage(rule.message, facts) : rule.message });
  }
  return out;
}

function chooseProxy(fired: Fired[], answers: Answers): { proxy: ProxyId; conflicts: Fired[] } {
  const score = new Map<ProxyId, number>(PROXY_IDS.map((p, i) => [p, -i / 100]));
  const excludedBy = new Map<ProxyId, Fired[]>();
  let required: ProxyId | undefined;
  for (const f of fired) {
    const p = f.rule.effect.proxy;
    if (!p) continue;
    for (const [id, d] of Object.entries(p.prefer ?? {})) score.set(id as ProxyId, (score.get(id as ProxyId) ?? 0) + (d ?? 0));
    for (const id of p.exclude ?? []) excludedBy.set(id, [...(excludedBy.get(id) ?? []), f]);
    if (p.require) required = p.require;
  }
  if (answers.proxy !== 'auto') required = answers.proxy;
  if (required) return { proxy: required, conflicts: excludedBy.get(required) ?? [] };
  const ranked = [...PROXY_IDS].sort((a, b) => (score.get(b) ?? 0) - (score.get(a) ?? 0));
  const ok = ranked.find((p) => !excludedBy.has(p));
  if (ok) return { proxy: ok, conflicts: [] };
  const least = [...ranked].sort((a, b) => (excludedBy.get(a)?.length ?? 0) - (excludedBy.get(b)?.length ?? 0))[0]!;
  return { proxy: least, conflicts: excludedBy.get(least) ?? [] };
}

function resolveApi(fired: Fired[]): { api?: ApiKind; blockers: string[] } {
  const forbid = new Map<ApiKind, string[]>();
  const require: string[] = [];
  for (const f of fired) {
    const a = f.rule.effect.api;
    if (!a) continue;
    for (const k of a.forbid ?? []) forbid.set(k, [...(forbid.get(k) ?? []), f.rule.id]);
    if (a.require === 'rest') require.push(f.rule.id);
  }
  if (require.length > 0) return forbid.has('rest') ? { blockers: [...(forbid.get('rest') ?? [])] } : { api: 'rest', blockers: [] };
  if (!forbid.has('http')) return { api: 'http', blockers: [] };
  if (!forbid.has('rest')) return { api: 'rest', blockers: [] };
  return { blockers: [...(forbid.get('http') ?? []), ...(forbid.get('rest') ?? [])] };
}

function clientsFor(kind: 'all' | 'external' | 'internal', answers: Answers): Path['clients'] {
  if (kind === 'all') return [...answers.clients];
  if (kind === 'internal') return answers.clients.filter((c) => c === 'internal');
  return answers.clients.filter((c) => c !== 'internal');
}

function resolveCandidate(c: Candidate, answers: Answers, facts: Facts, fired: Fired[], proxy: ProxyId, apiChoice: { api?: ApiKind; blockers: string[] }): Resolved {
  let score = c.base;
  const excludedBy: string[] = [];
  for (const f of fired) {
    const e = f.rule.effect;
    score += e.prefer?.[c.id] ?? 0;
    if (e.exclude?.includes(c.id)) excludedBy.push(f.rule.id);
  }
  const wsSplit = answers.protocols.includes('websocket') && c.paths.some((p) => p.protocols === 'websocket');
  const mainProtocols = wsSplit ? answers.protocols.filter((p) => p !== 'websocket') : [...answers.protocols];
  const templates = c.paths.filter((p) => (p.protocols === 'websocket' ? wsSplit : mainProtocols.length > 0));
  const usesApi = templates.some((t) => t.hops.includes('$api'));
  let api: ApiKind | undefined;
  if (usesApi) {
    api = apiChoice.api;
    if (!api) for (const b of apiChoice.blockers) if (!excludedBy.includes(b)) excludedBy.push(b);
  }
  const computeId = facts.computeId as ComponentId;
  const hop = (h: Hop): ComponentId => (h === '$api' ? (`apigw-${api ?? 'http'}` as ComponentId) : h === '$compute' ? computeId : h === '$proxy' ? proxy : h);
  const paths: Path[] = [];
  for (const t of templates) {
    const clients = clientsFor(t.clients, answers);
    if (clients.length === 0) continue;
    paths.push({ clients, protocols: t.protocols === 'websocket' ? ['websocket'] : mainProtocols, hops: t.hops.map(hop) });
  }
  const components: ComponentId[] = [];
  for (const p of paths) for (const h of p.hops) if (!components.includes(h)) components.push(h);
  for (const x of c.extra ?? []) {
    const h = hop(x);
    if (!components.includes(h)) components.push(h);
  }
  const id = c.idTemplate.includes('{api}') ? c.idTemplate.replace('{api}', usesApi ? (api ?? 'http') : 'websocket') : c.idTemplate;
  const r: Resolved = { candidate: c, id, score, excludedBy, paths, components };
  if (api) r.api = api;
  return r;
}

/** Steps 1–3: the choice, without post rules, alternatives, what-ifs or cost. */
export function choose(answers: Answers, kb: Knowledge = DEFAULT_KNOWLEDGE): Choice {
  const facts = toFacts(answers);
  const fired = fire(kb.rules, 'pre', facts);
  const { proxy, conflicts } = chooseProxy(fired, answers);
  const apiChoice = resolveApi(fired);
  const ranked = kb.candidates
    .filter((c) => c.platform === answers.platform && (!c.applicable || predicate(c.applicable)(facts)))
    .map((c) => resolveCandidate(c, answers, facts, fired, proxy, apiChoice))
    .sort((a, b) => b.score - a.score); // stable: ties keep list order
  if (ranked.length === 0) throw new Error(`no candidate topology for platform ${answers.platform}`);
  const feasible = ranked.filter((r) => r.excludedBy.length === 0);
  const chosen = feasible[0] ?? [...ranked].sort((a, b) => a.excludedBy.length - b.excludedBy.length)[0]!;
  return { chosen, ranked, fired, proxy, proxyConflicts: conflicts, facts };
}

function explainsChoice(f: Fired, chosen: Resolved, ranked: Resolved[], proxy: ProxyId): boolean {
  const e = f.rule.effect;
  // A rule without an effect is information about this situation: always worth saying.
  if (!e.exclude && !e.prefer && !e.api && !e.proxy && !e.addOns) return true;
  if ((e.prefer?.[chosen.candidate.id] ?? 0) > 0) return true;
  if (e.api && chosen.api && (e.api.require === chosen.api || (e.api.forbid?.length ?? 0) > 0)) return true;
  const usesProxy = chosen.components.includes(proxy);
  if (e.proxy && usesProxy && (e.proxy.require === proxy || (e.proxy.prefer?.[proxy] ?? 0) > 0 || (e.proxy.exclude?.length ?? 0) > 0)) return true;
  if (e.addOns?.length) return true;
  // An exclusion explains the choice when it removed a candidate that would otherwise have won.
  return (e.exclude ?? []).some((id) => {
    const r = ranked.find((x) => x.candidate.id === id);
    return r !== undefined && r.score >= chosen.score;
  });
}

export interface RecommendOptions {
  whatIf?: boolean;
}

export function recommend(answers: Answers, kb: Knowledge = DEFAULT_KNOWLEDGE, opts: RecommendOptions = {}): Recommendation {
  const { chosen, ranked, fired, proxy, proxyConflicts, facts } = choose(answers, kb);

  const reasons: RuleRef[] = [];
  const warnings: RuleRef[] = [];
  const push = (list: RuleRef[], rule: string, message: string): void => {
    if (!list.some((r) => r.rule === rule)) list.push({ rule, message });
  };
  const components = [...chosen.components];
  const addOn = (ids: readonly ComponentId[] | undefined): void => {
    for (const id of ids ?? []) if (!components.includes(id)) components.push(id);
  };

  const unsatisfied = new Set([...chosen.excludedBy, ...proxyConflicts.map((f) => f.rule.id)]);
  for (const f of fired) {
    if (unsatisfied.has(f.rule.id)) continue; // reported as a warning below
    if (f.rule.severity === 'warning') push(warnings, f.rule.id, f.message);
    else if (explainsChoice(f, chosen, ranked, proxy)) {
      push(reasons, f.rule.id, f.message);
      addOn(f.rule.effect.addOns);
    }
  }
  // Rules the chosen topology could not satisfy (every candidate was excluded by something).
  for (const id of chosen.excludedBy) {
    const f = fired.find((x) => x.rule.id === id);
    if (f) push(warnings, id, `Not satisfied by any topology: ${f.message}`);
  }
  for (const f of proxyConflicts) push(warnings, f.rule.id, `${proxy} was requested, but: ${f.message}`);

  // The facts object is ours (made by choose()): fill in the post facts in place, keeping its shape.
  const postFacts = Object.assign(facts as Record<string, unknown>, {
    components,
    topology: chosen.id,
    api: chosen.api ?? 'none',
    apiName: chosen.api === 'rest' ? 'REST' : chosen.api === 'http' ? 'HTTP' : 'none',
    payloadFormat: chosen.api === 'rest' ? '1.0' : '2.0',
    proxyChosen: components.includes(proxy) ? proxy : 'none',
  }) as Facts;
  for (const f of fire(kb.rules, 'post', postFacts)) {
    if (f.rule.severity === 'warning') push(warnings, f.rule.id, f.message);
    else push(reasons, f.rule.id, f.message);
    addOn(f.rule.effect.addOns);
  }

  const alternatives = ranked
    .filter((r) => r !== chosen)
    .map((r) => ({
      id: r.id,
      summary: r.candidate.summary,
      components: r.components,
      rejectedBy: rejectedBy(r, chosen, fired),
    }));

  return {
    schemaVersion: 1,
    knowledgeVersion: KNOWLEDGE_VERSION,
    answers,
    topology: { id: chosen.id, summary: chosen.candidate.summary, paths: chosen.paths, components },
    reasons,
    warnings,
    alternatives,
    whatIf: opts.whatIf === false ? [] : whatIf(answers, chosen.id, kb),
    cost: estimateCost(components, answers),
  };
}

function rejectedBy(r: Resolved, chosen: Resolved, fired: Fired[]): string[] {
  if (r.excludedBy.length > 0) return [...r.excludedBy];
  const out: string[] = [];
  for (const f of fired) {
    const p = f.rule.effect.prefer;
    if (!p) continue;
    const forChosen = p[chosen.candidate.id] ?? 0;
    const forThis = p[r.candidate.id] ?? 0;
    if (forChosen > forThis) out.push(f.rule.id);
  }
  return out;
}
