// Renderings of the comparison table for `edgewise compare`: JSON, GitHub markdown and terminal text.
// Pure functions over the knowledge base: no I/O; colour only through the injected Style.
import { CAPABILITY_LABELS } from '../knowledge/capabilities.js';
import { COMPONENTS, MAIN_COMPONENT_IDS, findComponent } from '../knowledge/components/index.js';
import { SEED_CORRECTIONS, type SeedCorrection } from '../knowledge/corrections.js';
import { SOURCES, type Source } from '../knowledge/sources.js';
import { CAPABILITY_IDS, type CapabilityId, type Cell, type Component, type ComponentId, type Support } from '../knowledge/types.js';
import { KNOWLEDGE_VERSION } from '../knowledge/version.js';
import type { Style } from './style.js';

const SOURCE_TABLE: Readonly<Record<string, Source>> = SOURCES;

/** Column groups for the terminal view (15 columns do not fit a terminal). */
export const COMPARE_GROUPS: readonly { id: string; title: string; components: readonly ComponentId[] }[] = [
  { id: 'api-gateway', title: 'API Gateway types', components: ['apigw-rest', 'apigw-http', 'apigw-websocket'] },
  { id: 'aws-load-balancers', title: 'AWS load balancers', components: ['alb', 'nlb', 'clb'] },
  { id: 'self-hosted-proxies', title: 'Self-hosted proxies', components: ['nginx', 'haproxy', 'caddy', 'traefik', 'envoy'] },
  {
    id: 'others',
    title: 'Edge services, gateways and glue',
    components: ['cloudfront', 'waf', 'ts-gateway', 'gateway-api', 'vpc-link', 'redis', 'lambda', 'ecs', 'ec2', 'pods', 'hosts'],
  },
];

/** Short column headings. */
const SHORT: Readonly<Record<ComponentId, string>> = {
  'apigw-rest': 'REST API',
  'apigw-http': 'HTTP API',
  'apigw-websocket': 'WebSocket API',
  alb: 'ALB',
  nlb: 'NLB',
  clb: 'CLB (legacy)',
  cloudfront: 'CloudFront',
  waf: 'AWS WAF',
  nginx: 'nginx',
  haproxy: 'HAProxy',
  caddy: 'Caddy',
  traefik: 'Traefik',
  envoy: 'Envoy',
  'ts-gateway': 'TS gateway',
  'gateway-api': 'Gateway API',
  'vpc-link': 'VPC link',
  redis: 'Redis',
  lambda: 'Lambda',
  ecs: 'ECS',
  ec2: 'EC2',
  pods: 'Pods',
  hosts: 'Hosts',
};

function mainComponents(): Component[] {
  return MAIN_COMPONENT_IDS.map((id) => COMPONENTS.find((c) => c.id === id)).filter((c): c is Component => c !== undefined);
}

function cellsOf(c: Component): [CapabilityId, Cell][] {
  const out: [CapabilityId, Cell][] = [];
  for (const cap of CAPABILITY_IDS) {
    const cell = c.cells[cap];
    if (cell) out.push([cap, cell]);
  }
  return out;
}

/** Ids in `ids` that name no component; the CLI reports these before calling compareText. */
export function unknownComponentIds(ids: readonly string[]): string[] {
  return ids.filter((id) => findComponent(id) === undefined);
}

// ---------------------------------------------------------------------------------------------
// JSON

/** The `compare --json` document. Cells and sources are in a stable order. */
export function compareJson(): unknown {
  const cited = new Set<string>();
  for (const c of COMPONENTS) for (const [, cell] of cellsOf(c)) for (const s of cell.sources) cited.add(s);
  for (const k of SEED_CORRECTIONS) for (const s of k.sources) cited.add(s);
  const sources: Record<string, { title: string; url: string; read: string; verify: boolean }> = {};
  for (const key of [...cited].sort()) {
    const s = SOURCE_TABLE[key];
    if (s) sources[key] = { title: s.title, url: s.url, read: s.read, verify: s.verify === true };
  }
  return {
    schemaVersion: 1,
    knowledgeVersion: KNOWLEDGE_VERSION,
    capabilities: CAPABILITY_IDS.map((id) => ({ id, label: CAPABILITY_LABELS[id] })),
    components: COMPONENTS.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      legacy: c.legacy === true,
      summary: c.summary,
      cells: Object.fromEntries(cellsOf(c)),
    })),
    corrections: SEED_CORRECTIONS,
    sources,
  };
}

// ---------------------------------------------------------------------------------------------
// Markdown

const MD_SYMBOL: Readonly<Record<Support, string>> = { yes: '✅', no: '❌', partial: '◐', 'n/a': '—' };
const SUPERSCRIPT = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

function superscript(n: number): string {
  return String(n)
    .split('')
    .map((d) => SUPERSCRIPT[Number(d)] ?? d)
    .join('');
}

function mdEscape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Numbers sources by first citation so footnotes read top to bottom. */
class Footnotes {
  private readonly order = new Map<string, number>();
  ref(keys: readonly string[]): string {
    return keys
      .map((k) => {
        let n = this.order.get(k);
        if (n === undefined) {
          n = this.order.size + 1;
          this.order.set(k, n);
        }
        return superscript(n);
      })
      .join('˒');
  }
  entries(): [string, number][] {
    return [...this.order.entries()];
  }
}

/** The comparison as GitHub markdown: one row per capability, one column per main component. */
export function compareMarkdown(): string {
  const comps = mainComponents();
  const notes = new Footnotes();
  const lines: string[] = [];
  lines.push('# Edge components compared', '');
  lines.push(
    `Knowledge version ${KNOWLEDGE_VERSION}. ✅ yes · ◐ partial · ❌ no · — not applicable · † corrects the seed table. ` +
      'Superscript numbers point to the sources at the end. Self-hosted proxies are their free editions.',
    '',
  );
  lines.push(`| Capability | ${comps.map((c) => mdEscape(SHORT[c.id])).join(' | ')} |`);
  lines.push(`|---|${comps.map(() => '---').join('|')}|`);
  for (const cap of CAPABILITY_IDS) {
    const row = comps.map((c) => {
      const cell = c.cells[cap];
      if (!cell) return ' ';
      const mark = cell.correction ? ' †' : '';
      return `${MD_SYMBOL[cell.support]} ${mdEscape(cell.note)}${notes.ref(cell.sources)}${mark}`;
    });
    lines.push(`| ${CAPABILITY_LABELS[cap]} | ${row.join(' | ')} |`);
  }
  lines.push('');

  const others = COMPONENTS.filter((c) => !(MAIN_COMPONENT_IDS as readonly string[]).includes(c.id));
  if (others.length > 0) {
    lines.push('## Other components', '');
    for (const c of others) {
      lines.push(`- **${mdEscape(c.name)}** (\`${c.id}\`, ${c.kind}): ${mdEscape(c.summary)}`);
      for (const [cap, cell] of cellsOf(c)) {
        const mark = cell.correction ? ' †' : '';
        lines.push(`  - ${CAPABILITY_LABELS[cap]}: ${MD_SYMBOL[cell.support]} ${mdEscape(cell.note)}${notes.ref(cell.sources)}${mark}`);
      }
    }
    lines.push('');
  }

  lines.push('## Corrections to the seed table', '');
  for (const k of SEED_CORRECTIONS) {
    lines.push(
      `- **${k.id}** (${k.verdict}). Seed: “${mdEscape(k.seedClaim)}” ${mdEscape(k.correction)}${notes.ref(k.sources)}`,
    );
  }
  lines.push('');

  lines.push('## Sources', '');
  for (const [key, n] of notes.entries()) {
    const s = SOURCE_TABLE[key];
    if (!s) {
      lines.push(`${n}. ${key} (unknown source)`);
      continue;
    }
    const verify = s.verify ? ' — VERIFY (third-party or single-sourced)' : '';
    lines.push(`${n}. [${mdEscape(s.title)}](${s.url}) \`${key}\`, read ${s.read}${verify}`);
  }
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Terminal text

const TEXT_SYMBOL: Readonly<Record<Support, string>> = { yes: '✔', no: '✘', partial: '◐', 'n/a': '–' };

function styledSymbol(style: Style, support: Support): string {
  const sym = TEXT_SYMBOL[support];
  switch (support) {
    case 'yes':
      return style.ok(sym);
    case 'no':
      return style.err(sym);
    case 'partial':
      return style.warn(sym);
    default:
      return style.dim(sym);
  }
}

/** Greedy word wrap; the first line has `first` columns, the rest `rest`. */
function wrap(text: string, first: number, rest: number): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    const width = out.length === 0 ? first : rest;
    if (line.length > 0 && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else {
      line = line.length > 0 ? `${line} ${w}` : w;
    }
  }
  if (line.length > 0 || out.length === 0) out.push(line);
  return out;
}

const LABEL_WIDTH = Math.max(...CAPABILITY_IDS.map((id) => CAPABILITY_LABELS[id].length)) + 2;
const TEXT_WIDTH = 100;

function matrix(style: Style, comps: readonly Component[]): string[] {
  const widths = comps.map((c) => Math.max(SHORT[c.id].length, 3) + 2);
  const lines: string[] = [];
  const head = ''.padEnd(LABEL_WIDTH) + comps.map((c, i) => SHORT[c.id].padEnd(widths[i] ?? 0)).join('');
  lines.push(`  ${style.dim(head.trimEnd())}`);
  for (const cap of CAPABILITY_IDS) {
    if (!comps.some((c) => c.cells[cap])) continue;
    const cols = comps.map((c, i) => {
      const cell = c.cells[cap];
      const width = widths[i] ?? 0;
      if (!cell) return ''.padEnd(width);
      const raw = TEXT_SYMBOL[cell.support] + (cell.correction ? '*' : '');
      const styled = styledSymbol(style, cell.support) + (cell.correction ? style.warn('*') : '');
      return styled + ''.padEnd(Math.max(width - raw.length, 0));
    });
    lines.push(`  ${CAPABILITY_LABELS[cap].padEnd(LABEL_WIDTH)}${cols.join('').trimEnd()}`);
  }
  return lines;
}

function block(style: Style, c: Component): string[] {
  const lines: string[] = [];
  const legacy = c.legacy ? ` ${style.warn('(legacy: shown, never recommended)')}` : '';
  lines.push(`${style.bold(c.name)} ${style.dim(`[${c.id}]`)}${legacy}`);
  for (const l of wrap(c.summary, TEXT_WIDTH - 2, TEXT_WIDTH - 2)) lines.push(`  ${l}`);
  const indent = 2 + LABEL_WIDTH + 2;
  for (const [cap, cell] of cellsOf(c)) {
    const flag = cell.correction ? ' (corrected)' : '';
    const text = `${cell.note} [${cell.sources.join(', ')}]`;
    const wrapped = wrap(text + flag, TEXT_WIDTH - indent, TEXT_WIDTH - indent);
    wrapped.forEach((l, i) => {
      let body = l;
      if (flag && i === wrapped.length - 1 && body.endsWith(flag.trim())) {
        body = body.slice(0, body.length - flag.trim().length) + style.warn(flag.trim());
      }
      const prefix = i === 0 ? `  ${CAPABILITY_LABELS[cap].padEnd(LABEL_WIDTH)}${styledSymbol(style, cell.support)} ` : ''.padEnd(indent);
      lines.push(prefix + body);
    });
    if (cell.correction) {
      const seedLines = wrap(`seed said: ${cell.correction.seed} (${cell.correction.verdict}): ${cell.correction.note}`, TEXT_WIDTH - indent, TEXT_WIDTH - indent);
      for (const l of seedLines) lines.push(''.padEnd(indent) + style.dim(l));
    }
  }
  return lines;
}

function correctionLines(style: Style, k: SeedCorrection): string[] {
  const lines: string[] = [];
  lines.push(`  ${style.warn('(corrected)')} ${style.bold(k.id)} ${style.dim(`[${k.verdict}]`)}`);
  for (const [i, l] of wrap(`Seed: ${k.seedClaim}`, TEXT_WIDTH - 4, TEXT_WIDTH - 10).entries()) lines.push(i === 0 ? `    ${l}` : `          ${l}`);
  for (const [i, l] of wrap(`Fact: ${k.correction}`, TEXT_WIDTH - 4, TEXT_WIDTH - 10).entries()) lines.push(i === 0 ? `    ${l}` : `          ${l}`);
  if (k.components && k.components.length > 0) lines.push(`    ${style.dim(`Cells: ${k.components.map((id) => SHORT[id]).join(', ')}`)}`);
  lines.push(`    ${style.dim(`Sources: ${k.sources.join(', ')}`)}`);
  return lines;
}

/**
 * The comparison for a terminal: per group a symbol matrix, then (when components are named) one
 * block per component with every note, then the corrections to the seed table and their sources.
 * Unknown ids in `opts.components` are ignored; check them with unknownComponentIds first.
 */
export function compareText(style: Style, opts: { components?: string[] } = {}): string {
  const requested = (opts.components ?? []).filter((id) => findComponent(id) !== undefined);
  const explicit = requested.length > 0;
  const selected = new Set<string>(explicit ? requested : MAIN_COMPONENT_IDS);
  const lines: string[] = [];
  lines.push(style.bold(`edgewise compare — knowledge ${KNOWLEDGE_VERSION}`));
  lines.push(
    style.dim(
      `${TEXT_SYMBOL.yes} yes  ${TEXT_SYMBOL.partial} partial  ${TEXT_SYMBOL.no} no  ${TEXT_SYMBOL['n/a']} n/a  * (corrected): the seed table said otherwise. Self-hosted proxies: free editions.`,
    ),
  );

  const shown: Component[] = [];
  for (const group of COMPARE_GROUPS) {
    const comps = group.components
      .filter((id) => selected.has(id))
      .map((id) => findComponent(id))
      .filter((c): c is Component => c !== undefined);
    if (comps.length === 0) continue;
    shown.push(...comps);
    const withCells = comps.filter((c) => cellsOf(c).length > 0);
    lines.push('', style.accent(group.title));
    if (withCells.length > 0) lines.push(...matrix(style, withCells));
    const empty = comps.filter((c) => cellsOf(c).length === 0);
    for (const c of empty) lines.push(`  ${SHORT[c.id]}: ${c.summary}`);
  }

  if (explicit) {
    for (const c of shown) lines.push('', ...block(style, c));
  } else {
    lines.push('', style.dim('Name components to see every note and its sources, or use the markdown or JSON output.'));
  }

  const shownIds = new Set<string>(shown.map((c) => c.id));
  const corrections = SEED_CORRECTIONS.filter((k) => !explicit || !k.components || k.components.some((id) => shownIds.has(id)));
  if (corrections.length > 0) {
    lines.push('', style.accent('Corrections to the seed table'));
    for (const k of corrections) lines.push(...correctionLines(style, k));
  }
  const cited = corrections.flatMap((k) => k.sources);
  if (explicit) for (const c of shown) for (const [, cell] of cellsOf(c)) cited.push(...cell.sources);
  const keys = [...new Set(cited)].sort();
  if (keys.length > 0) {
    lines.push('', style.accent('Sources'));
    for (const key of keys) {
      const s = SOURCE_TABLE[key];
      if (!s) continue;
      const verify = s.verify ? ` ${style.warn('VERIFY')}` : '';
      lines.push(`  ${key.padEnd(12)} ${s.title} (read ${s.read})${verify}`);
      lines.push(`  ${''.padEnd(12)} ${style.dim(s.url)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
