// Manifests → YAML text with the `yaml` package: one document per object, `---` between them,
// comments as `#` lines. Deterministic: key order is the order the builders wrote.
import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { PlanContext } from '../types.js';
import { provenance } from '../render.js';
import type { Annotated, ManifestFile } from './objects.js';

const OPTIONS = { lineWidth: 0, indentSeq: true } as const;

function keyNode(doc: Document, path: (string | number)[]): { commentBefore?: string | null } | undefined {
  const parent = doc.getIn(path.slice(0, -1), true) as Node | undefined;
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
    return pair && isScalar(pair.key) ? pair.key : undefined;
  }
  if (isSeq(parent) && typeof last === 'number') return parent.items[last] as { commentBefore?: string | null } | undefined;
  return undefined;
}

export function toYamlDocument(a: Annotated): string {
  const doc = new Document(a.object, { aliasDuplicateObjects: false });
  if (a.comment?.length) doc.commentBefore = a.comment.join('\n');
  for (const kc of a.keyComments ?? []) {
    const node = keyNode(doc, kc.path);
    if (!node) throw new Error(`no key ${kc.path.join('.')} to comment in ${a.object.kind}/${a.object.metadata.name}`);
    node.commentBefore = kc.lines.join('\n');
  }
  return doc.toString(OPTIONS);
}

export function renderManifest(f: ManifestFile, ctx: PlanContext): string {
  const head = provenance(ctx, '#', f.header ?? []);
  return head + '\n' + f.docs.map(toYamlDocument).join('---\n');
}
