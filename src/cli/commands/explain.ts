import type { Command } from 'commander';
import { EwError } from '../../errors.js';
import { leaves } from '../../engine/conditions.js';
import { DERIVED_FACTS } from '../../engine/facts.js';
import { RULES, ruleById } from '../../knowledge/rules/index.js';
import { SOURCES } from '../../knowledge/sources.js';
import type { Condition, Rule } from '../../knowledge/types.js';
import { printJson, type CliIO } from '../io.js';
import type { Style } from '../style.js';

export function renderCondition(c: Condition): string {
  if ('all' in c) return c.all.length === 1 ? renderCondition(c.all[0]!) : `(${c.all.map(renderCondition).join(' AND ')})`;
  if ('any' in c) return `(${c.any.map(renderCondition).join(' OR ')})`;
  if ('not' in c) return `NOT ${renderCondition(c.not)}`;
  return `${c.fact} ${c.op} ${JSON.stringify(c.value)}`;
}

function renderEffect(r: Rule): string[] {
  const e = r.effect;
  const out: string[] = [];
  if (e.exclude?.length) out.push(`rules out: ${e.exclude.join(', ')}`);
  if (e.prefer) out.push(`scores: ${Object.entries(e.prefer).map(([k, v]) => `${k} ${v > 0 ? '+' : ''}${v}`).join(', ')}`);
  if (e.api?.require) out.push(`API Gateway type: ${e.api.require}`);
  if (e.api?.forbid?.length) out.push(`API Gateway type not: ${e.api.forbid.join(', ')}`);
  if (e.proxy?.exclude?.length) out.push(`proxy not: ${e.proxy.exclude.join(', ')}`);
  if (e.proxy?.prefer) out.push(`proxy scores: ${Object.entries(e.proxy.prefer).map(([k, v]) => `${k} ${(v ?? 0) > 0 ? '+' : ''}${v}`).join(', ')}`);
  if (e.addOns?.length) out.push(`adds: ${e.addOns.join(', ')}`);
  if (out.length === 0) out.push(r.severity === 'warning' ? 'a warning' : 'information');
  return out;
}

function renderRule(r: Rule, s: Style): string {
  const lines = [
    `${s.bold(r.id)} ${s.dim(`(${r.severity}${r.seed ? ', from the seed document' : ''}${r.phase === 'post' ? ', after the choice' : ''})`)}`,
    `  ${r.title}`,
    '',
    `  Why: ${r.rationale}`,
    `  When: ${renderCondition(r.when)}`,
    `  Effect: ${renderEffect(r).join('; ')}`,
    `  Says: ${r.message}`,
    '  Sources:',
  ];
  for (const key of r.sources) {
    const src = (SOURCES as Record<string, { title: string; url: string; read: string; verify?: boolean }>)[key];
    lines.push(`    [${key}] ${src ? `${src.title} — ${src.url} (read ${src.read})${src.verify ? ' VERIFY' : ''}` : 'unknown source'}`);
  }
  const derived = [...new Set(leaves(r.when).map((l) => l.fact))].filter((f) => f in DERIVED_FACTS);
  if (derived.length > 0) {
    lines.push('  Derived facts:');
    for (const f of derived) lines.push(`    ${f}: ${DERIVED_FACTS[f]}`);
  }
  return lines.join('\n') + '\n';
}

export function registerExplain(program: Command, io: CliIO): void {
  program
    .command('explain [rule-id]')
    .description('list the rules of thumb, or explain one (when it fires, what it does, its sources)')
    .option('--json', 'print JSON')
    .action((id: string | undefined, opts: { json?: boolean }) => {
      if (id === undefined) {
        if (opts.json) return printJson(io, RULES.map((r) => ({ id: r.id, title: r.title, severity: r.severity, sources: r.sources })));
        const width = Math.max(...RULES.map((r) => r.id.length));
        io.stdout.write(RULES.map((r) => `${r.id.padEnd(width)}  ${io.style.dim(r.severity.padEnd(10))}  ${r.title}`).join('\n') + '\n');
        io.stdout.write(io.style.dim(`\n${RULES.length} rules. edgewise explain <rule-id> for one.\n`));
        return;
      }
      const rule = ruleById(id);
      if (!rule) {
        const near = RULES.filter((r) => r.id.includes(id) || id.includes(r.id)).map((r) => r.id);
        throw new EwError('EW_USAGE', `rule-id: unknown rule ${JSON.stringify(id)}${near.length ? ` (did you mean ${near.slice(0, 3).join(', ')}?)` : ''}; run 'edgewise explain' for the list`);
      }
      if (opts.json) return printJson(io, rule);
      io.stdout.write(renderRule(rule, io.style));
    });
}
