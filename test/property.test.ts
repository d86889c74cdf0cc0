// Properties over the answer space (src/engine/space.ts): never throws, every path ends at a
// compute component, no exclusion is silently violated, same input → same output.
import { describe, expect, it } from 'vitest';
import { choose, recommend } from '../src/engine/recommend.js';
import { recommendationSchema } from '../src/engine/recommendation.js';
import { answerSpace, ANSWER_SPACE_SIZE } from '../src/engine/space.js';
import { RULES } from '../src/knowledge/rules/index.js';
import { COMPONENT_IDS, COMPUTE_IDS } from '../src/knowledge/types.js';

const ruleIds = new Set(RULES.map((r) => r.id));
const compute = new Set<string>(COMPUTE_IDS);
const components = new Set<string>(COMPONENT_IDS);

describe('the whole answer space', () => {
  it(`holds the invariants for all ${ANSWER_SPACE_SIZE} answer sets`, () => {
    let n = 0;
    const topologies = new Set<string>();
    for (const a of answerSpace()) {
      const r = recommend(a, undefined, { whatIf: false });
      n++;
      topologies.add(r.topology.id);
      const where = JSON.stringify(a);
      if (r.topology.paths.length === 0) throw new Error(`no path: ${where}`);
      for (const p of r.topology.paths) {
        const last = p.hops[p.hops.length - 1]!;
        if (!compute.has(last)) throw new Error(`path ends at ${last}: ${where}`);
        if (p.hops.slice(0, -1).some((h) => compute.has(h))) throw new Error(`compute in the middle of a path: ${where}`);
        for (const h of p.hops) if (!r.topology.components.includes(h)) throw new Error(`hop ${h} not in components: ${where}`);
      }
      for (const c of r.topology.components) if (!components.has(c)) throw new Error(`unknown component ${c}`);
      if (r.topology.components.includes('clb')) throw new Error(`CLB recommended: ${where}`);
      for (const x of [...r.reasons, ...r.warnings]) if (!ruleIds.has(x.rule)) throw new Error(`unknown rule ${x.rule}`);
      // No exclusion violated silently: if the chosen candidate was excluded, each excluding rule is a warning.
      const { chosen } = choose(a);
      for (const id of chosen.excludedBy) if (!r.warnings.some((w) => w.rule === id)) throw new Error(`exclusion by ${id} violated silently: ${where}`);
      if (r.alternatives.some((alt) => alt.id === r.topology.id && alt.components.join() === r.topology.components.join())) throw new Error(`chosen listed as alternative: ${where}`);
      if (!(r.cost.monthlyUsd >= 0) || !Number.isFinite(r.cost.monthlyUsd)) throw new Error(`bad cost: ${where}`);
    }
    expect(n).toBe(ANSWER_SPACE_SIZE);
    expect(topologies.size).toBeGreaterThanOrEqual(15);
  });

  it('is deterministic and schema-valid (every 97th answer set, with what-ifs)', () => {
    let i = 0;
    for (const a of answerSpace()) {
      if (i++ % 97 !== 0) continue;
      const r1 = recommend(a);
      const r2 = recommend(structuredClone(a));
      expect(r2).toEqual(r1);
      expect(JSON.stringify(r2)).toBe(JSON.stringify(r1));
      const parsed = recommendationSchema.safeParse(r1);
      if (!parsed.success) throw new Error(`${JSON.stringify(a)}: ${parsed.error.message}`);
      // Every what-if is true: applying the change gives that topology, and it differs.
      for (const w of r1.whatIf) {
        const changed = recommend({ ...a, ...w.change } as typeof a, undefined, { whatIf: false });
        expect(changed.topology.id).toBe(w.topology);
        expect(w.topology).not.toBe(r1.topology.id);
      }
    }
  });
});
