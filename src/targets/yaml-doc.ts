// YAML output with comments, for structured configs built as plain objects (Traefik, Envoy).
// The object is serialised by `yaml` (key order = insertion order, so output is deterministic);
// comments are attached to keys by path, so they stay next to what they explain.
import { Document, isMap, isNode, isScalar, isSeq, type Node } from 'yaml';

export type YamlPath = readonly (string | number)[];

export interface YamlComment {
  path: YamlPath;
  text: string;
}

const WIDTH = 100;

/** Greedy word wrap, so long notes stay readable next to the config. */
export function wrap(line: string, width = WIDTH): string[] {
  const indent = /^ */.exec(line)?.[0] ?? '';
  const out: string[] = [];
  let cur = indent;
  for (const word of line.slice(indent.length).split(' ')) {
    if (cur.trim() !== '' && cur.length + 1 + word.length > width) {
      out.push(cur);
      cur = indent + word;
    } else cur = cur.trim() === '' ? indent + word : `${cur} ${word}`;
  }
  out.push(cur);
  return out;
}

/** Collects comments while a config object is built. */
export class Notes {
  readonly list: YamlComment[] = [];
  add(path: YamlPath, ...lines: string[]): void {
    this.list.push({ path, text: lines.flatMap((l) => l.split('\n')).flatMap((l) => wrap(l)).join('\n') });
  }
}

const asComment = (text: string): string =>
  text
    .split('\n')
    .map((l) => (l === '' ? '' : ` ${l}`))
    .join('\n');

function attach(doc: Document, path: YamlPath, text: string): void {
  if (path.length === 0) {
    doc.commentBefore = doc.commentBefore ? `${doc.commentBefore}\n${asComment(text)}` : asComment(text);
    return;
  }
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  let target: Node | undefined;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
    target = pair && isScalar(pair.key) ? pair.key : undefined;
  } else if (isSeq(parent) && typeof last === 'number') {
    const item: unknown = parent.items[last];
    target = isNode(item) ? item : undefined;
  }
  if (!target) throw new Error(`yaml comment: no node at ${path.join('.')}`);
  target.commentBefore = target.commentBefore ? `${target.commentBefore}\n${asComment(text)}` : asComment(text);
}

/** `header` (already commented, e.g. the provenance lines) + the document with its comments. */
export function toYaml(value: unknown, comments: readonly YamlComment[], header: string): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  for (const c of comments) attach(doc, c.path, c.text);
  return header + doc.toString({ lineWidth: 0 });
}
