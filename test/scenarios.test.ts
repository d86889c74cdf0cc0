import { describe, expect, it } from 'vitest';
import { PROXY_IDS } from '../src/knowledge/types.js';
import { RULES } from '../src/knowledge/rules/index.js';
import { firedRules, fixture, rec } from './helpers.js';

interface Scenario {
  name: string;
  answers: Record<string, unknown>;
  expect: { topology?: string; includes?: string[]; excludes?: string[]; anyOf?: string[]; path?: string[]; rules?: string[]; warnings?: string[]; proxy?: string };
}

describe('scenario table', () => {
  for (const s of fixture<Scenario[]>('scenarios.yaml')) {
    it(s.name, () => {
      const r = rec(s.answers);
      const comps = r.topology.components;
      const e = s.expect;
      if (e.topology) expect(r.topology.id).toBe(e.topology);
      for (const c of e.includes ?? []) expect(comps, `includes ${c}`).toContain(c);
      for (const c of e.excludes ?? []) expect(comps, `excludes ${c}`).not.toContain(c);
      if (e.anyOf) expect(comps.some((c) => e.anyOf!.includes(c)), `one of ${e.anyOf.join(', ')}`).toBe(true);
      if (e.path) expect(r.topology.paths.map((p) => p.hops)).toContainEqual(e.path);
      for (const id of e.rules ?? []) expect(r.reasons.map((x) => x.rule)).toContain(id);
      for (const id of e.warnings ?? []) expect(r.warnings.map((x) => x.rule)).toContain(id);
      if (e.proxy) expect(comps.filter((c) => (PROXY_IDS as readonly string[]).includes(c))).toEqual([e.proxy]);
    });
  }
});

describe('every rule has a scenario that makes it fire', () => {
  const scenarios = fixture<Record<string, Record<string, unknown>>>('rule-scenarios.yaml');
  it('has an entry per rule and none for unknown rules', () => {
    expect(Object.keys(scenarios).sort()).toEqual(RULES.map((r) => r.id).sort());
  });
  for (const rule of RULES) {
    it(rule.id, () => {
      const answers = scenarios[rule.id];
      expect(answers, `scenario for ${rule.id}`).toBeDefined();
      expect([...firedRules(rec(answers!))]).toContain(rule.id);
    });
  }
});
