import { describe, expect, it } from 'vitest';
import { compareJson, compareMarkdown, compareText, unknownComponentIds } from '../src/cli/compare-format.js';
import { plain } from '../src/cli/style.js';
import { CAPABILITY_LABELS } from '../src/knowledge/capabilities.js';
import { COMPONENTS, MAIN_COMPONENT_IDS, componentById, findComponent } from '../src/knowledge/components/index.js';
import { SEED_CORRECTIONS } from '../src/knowledge/corrections.js';
import { SOURCES } from '../src/knowledge/sources.js';
import { CAPABILITY_IDS, COMPONENT_IDS } from '../src/knowledge/types.js';

const sourceKeys = new Set(Object.keys(SOURCES));

const CORRECTION_IDS = [
  'elb-no-auth',
  'elb-no-rate-limit',
  'elb-no-caching',
  'elb-no-transforms',
  'elb-no-serverless',
  'elb-waf-all-types',
  'apigw-waf-all-types',
  'apigw-limited-load-balancing',
  'apigw-grpc',
  'apigw-fixed-29s-timeout',
  'rest-private-alb-needs-nlb',
  'proxy-basic-load-balancing',
  'proxy-no-serverless',
];

describe('component inventory', () => {
  it('has one entry per component id, in COMPONENT_IDS order', () => {
    expect(COMPONENTS.map((c) => c.id)).toEqual([...COMPONENT_IDS]);
    for (const id of COMPONENT_IDS) expect(componentById(id).id).toBe(id);
  });

  it('findComponent rejects unknown ids and prototype keys', () => {
    expect(findComponent('alb')?.id).toBe('alb');
    expect(findComponent('nope')).toBeUndefined();
    expect(findComponent('toString')).toBeUndefined();
    expect(unknownComponentIds(['alb', 'nope'])).toEqual(['nope']);
  });

  it('fills every capability cell for the main components', () => {
    expect(MAIN_COMPONENT_IDS).toHaveLength(15);
    for (const id of MAIN_COMPONENT_IDS) {
      const cells = componentById(id).cells;
      for (const cap of CAPABILITY_IDS) expect(cells[cap], `${id}.${cap}`).toBeDefined();
    }
  });

  it('cites at least one known source in every cell', () => {
    for (const c of COMPONENTS) {
      for (const [cap, cell] of Object.entries(c.cells)) {
        expect(cell.sources.length, `${c.id}.${cap}`).toBeGreaterThan(0);
        for (const s of cell.sources) expect(sourceKeys.has(s), `${c.id}.${cap} cites ${s}`).toBe(true);
        expect(cell.note.trim().length, `${c.id}.${cap} note`).toBeGreaterThan(0);
        expect(['yes', 'no', 'partial', 'n/a']).toContain(cell.support);
      }
    }
  });

  it('marks only CLB as legacy', () => {
    expect(COMPONENTS.filter((c) => c.legacy).map((c) => c.id)).toEqual(['clb']);
  });

  it('has a label for every capability', () => {
    for (const cap of CAPABILITY_IDS) expect(CAPABILITY_LABELS[cap].length).toBeGreaterThan(0);
  });

  it('corrects the seed where it is wrong or dated', () => {
    const corrected = (id: (typeof COMPONENT_IDS)[number], cap: (typeof CAPABILITY_IDS)[number]) =>
      componentById(id).cells[cap]?.correction?.verdict;
    expect(corrected('alb', 'auth')).toBe('wrong');
    expect(corrected('alb', 'serverless')).toBe('wrong');
    expect(corrected('alb', 'rateLimit')).toBe('oversimplified');
    expect(corrected('apigw-rest', 'loadBalancing')).toBe('misleading');
    expect(corrected('apigw-rest', 'grpc')).toBe('wrong');
    expect(corrected('apigw-rest', 'timeoutLimit')).toBe('dated');
    expect(corrected('vpc-link', 'routing')).toBe('dated');
    for (const p of ['nginx', 'haproxy', 'caddy', 'traefik', 'envoy'] as const) expect(corrected(p, 'loadBalancing')).toBe('wrong');
    // Facts the engine relies on.
    expect(componentById('apigw-rest').cells.grpc?.support).toBe('no');
    expect(componentById('alb').cells.grpc?.support).toBe('yes');
    expect(componentById('apigw-http').cells.waf?.support).toBe('no');
    expect(componentById('nlb').cells.staticIp?.support).toBe('yes');
    expect(componentById('alb').cells.staticIp?.support).toBe('no');
    expect(componentById('haproxy').cells.udp?.support).toBe('no');
  });
});

describe('seed corrections', () => {
  it('has the expected stable ids, each unique, kebab-case and sourced', () => {
    const ids = SEED_CORRECTIONS.map((k) => k.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of CORRECTION_IDS) expect(ids).toContain(id);
    for (const k of SEED_CORRECTIONS) {
      expect(k.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(k.sources.length, k.id).toBeGreaterThan(0);
      for (const s of k.sources) expect(sourceKeys.has(s), `${k.id} cites ${s}`).toBe(true);
      for (const c of k.components ?? []) expect(COMPONENT_IDS as readonly string[]).toContain(c);
    }
  });
});

describe('compare renderings', () => {
  it('markdown has a row per capability and a corrections section', () => {
    const md = compareMarkdown();
    for (const cap of CAPABILITY_IDS) expect(md).toContain(`\n| ${CAPABILITY_LABELS[cap]} |`);
    expect(md).toContain('## Corrections to the seed table');
    for (const k of SEED_CORRECTIONS) expect(md).toContain(`**${k.id}**`);
    const header = md.split('\n').find((l) => l.startsWith('| Capability |'));
    expect(header?.split(' | ')).toHaveLength(16);
  });

  it('json follows the documented shape', () => {
    const doc = compareJson() as {
      schemaVersion: number;
      knowledgeVersion: string;
      capabilities: { id: string; label: string }[];
      components: { id: string; legacy: boolean; cells: Record<string, unknown> }[];
      corrections: unknown[];
      sources: Record<string, { title: string; url: string; read: string; verify: boolean }>;
    };
    expect(doc.schemaVersion).toBe(1);
    expect(typeof doc.knowledgeVersion).toBe('string');
    expect(doc.capabilities.map((c) => c.id)).toEqual([...CAPABILITY_IDS]);
    expect(doc.components.map((c) => c.id)).toEqual([...COMPONENT_IDS]);
    expect(doc.corrections).toHaveLength(SEED_CORRECTIONS.length);
    expect(doc.sources['AG-VS']?.verify).toBe(false);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('text lists groups, flags corrections and is deterministic', () => {
    const text = compareText(plain);
    expect(text).toContain('API Gateway types');
    expect(text).toContain('Self-hosted proxies');
    expect(text).toContain('(corrected)');
    expect(text.includes('\u001b[')).toBe(false);
    expect(compareText(plain)).toBe(text);
    const one = compareText(plain, { components: ['nginx'] });
    expect(one).toContain('nginx (open source)');
    expect(one).toContain('proxy-basic-load-balancing');
    expect(one).not.toContain('AWS load balancers');
  });
});
