// Human output of a recommendation: the choice, a terminal sketch of the paths, why, warnings,
// alternatives, what-ifs, cost and what was assumed. Pure: returns a string.
import type { Recommendation } from '../engine/recommendation.js';
import type { AnswerKey } from '../engine/answers.js';
import { questionById } from '../knowledge/questions.js';
import type { Style } from './style.js';

const money = (n: number): string => `$${n.toFixed(2)}`;

export function sketch(r: Recommendation, s: Style): string[] {
  const lines: string[] = [];
  for (const p of r.topology.paths) {
    const who = p.clients.join('+');
    const proto = p.protocols && p.protocols.length > 0 ? ` (${p.protocols.join(', ')})` : '';
    lines.push(`  ${s.dim(who + proto)} ─▶ ${p.hops.map((h) => s.accent(h)).join(' ─▶ ')}`);
  }
  const onPath = new Set(r.topology.paths.flatMap((p) => p.hops));
  const extras = r.topology.components.filter((c) => !onPath.has(c));
  if (extras.length > 0) lines.push(`  ${s.dim('+ alongside:')} ${extras.map((c) => s.accent(c)).join(', ')}`);
  return lines;
}

export function flagFor(key: string, value: unknown): string {
  const q = questionById(key);
  const flag = q?.flag ?? `--${key}`;
  if (typeof value === 'boolean') return value ? flag : flag.replace(/^--/, '--no-');
  return `${flag} ${Array.isArray(value) ? value.join(',') : String(value)}`;
}

export function formatRecommendation(r: Recommendation, s: Style, assumed: readonly AnswerKey[]): string {
  const out: string[] = [];
  out.push(`${s.bold('edgewise recommends:')} ${s.ok(r.topology.id)}`);
  out.push(`  ${r.topology.summary}`);
  out.push('');
  out.push(...sketch(r, s));
  out.push('');
  if (r.reasons.length > 0) {
    out.push(s.bold('Why'));
    for (const x of r.reasons) out.push(`  ${s.ok('✔')} ${x.message} ${s.dim(`[${x.rule}]`)}`);
    out.push('');
  }
  if (r.warnings.length > 0) {
    out.push(s.bold('Watch out'));
    for (const x of r.warnings) out.push(`  ${s.warn('!')} ${x.message} ${s.dim(`[${x.rule}]`)}`);
    out.push('');
  }
  if (r.alternatives.length > 0) {
    out.push(s.bold('Considered'));
    for (const a of r.alternatives) {
      out.push(`  ${a.id} ${s.dim(`(${a.components.join(' → ')})`)} — ${a.rejectedBy.length > 0 ? `rejected by ${a.rejectedBy.join(', ')}` : 'scored lower'}`);
    }
    out.push('');
  }
  if (r.whatIf.length > 0) {
    out.push(s.bold('What would change it'));
    for (const w of r.whatIf) {
      const [k, v] = Object.entries(w.change)[0] ?? ['', ''];
      out.push(`  ${flagFor(k, v)} ${s.dim('→')} ${w.topology}`);
    }
    out.push('');
  }
  const c = r.cost;
  out.push(`${s.bold('Cost')} ${s.dim(`(estimate, prices as of ${c.pricesAsOf})`)}: ~${money(c.monthlyUsd)}/month`);
  const parts = Object.entries(c.byComponent).map(([k, v]) => `${k} ${money(v)}`);
  if (parts.length > 0) out.push(`  ${parts.join(' · ')}`);
  for (const a of c.assumptions) out.push(`  ${s.dim('· ' + a)}`);
  if (assumed.length > 0) {
    out.push('');
    out.push(`${s.bold('Assumed')} ${s.dim('(not given; pass a flag or an answers file to change)')}:`);
    out.push(`  ${assumed.map((k) => `${k}=${JSON.stringify(r.answers[k])}`).join(', ')}`);
  }
  out.push('');
  out.push(s.dim(`Rules: edgewise explain <rule>. Knowledge ${r.knowledgeVersion}.`));
  return out.join('\n') + '\n';
}
