// edge.yaml: load (strict YAML → schema, one-line errors with the path) and save (deterministic).
import { EwError } from '../errors.js';
import { readDataFile } from '../cli/inputs.js';
import { loadYaml } from '../cli/lazy.js';
import { specSchema, type EdgeSpec } from './schema.js';

export const SPEC_FILE = 'edge.yaml';

export function parseSpec(raw: unknown, where: string): EdgeSpec {
  const r = specSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  const received = issue.path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), raw);
  const got = received === undefined ? '' : ` (got ${JSON.stringify(received)?.slice(0, 60)})`;
  throw new EwError('EW_INVALID_SPEC', `${where}${path || 'spec'}: ${issue.message}${got}`);
}

export async function loadSpec(file: string): Promise<EdgeSpec> {
  return parseSpec(await readDataFile(file), `${file}: `);
}

export async function specToYaml(spec: EdgeSpec, header: string): Promise<string> {
  const { stringify } = await loadYaml();
  return `${header}${stringify(spec, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
