// Code templates copied verbatim into a starter, with a provenance header.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PlannedFile } from '../../io/writer.js';
import { provenance, readTemplate, templatesDir } from '../render.js';
import type { PlanContext } from '../types.js';

/** Every file under templates/<from> (recursively, sorted), placed under <to>. */
export function listTemplateFiles(from: string): string[] {
  const root = join(templatesDir(), from);
  const walk = (rel: string): string[] =>
    readdirSync(join(root, rel))
      .sort()
      .flatMap((e) => {
        const r = rel ? `${rel}/${e}` : e;
        return statSync(join(root, r)).isDirectory() ? walk(r) : [r];
      });
  return walk('');
}

export function copyCode(from: string, to: string, ctx: PlanContext, target: string, only?: (rel: string) => boolean): PlannedFile[] {
  return listTemplateFiles(from)
    .filter((rel) => (only ? only(rel) : true))
    .map((rel) => {
      const text = readTemplate(`${from}/${rel}`);
      const header = /\.(ts|mjs|js)$/.test(rel) ? provenance(ctx, '//') : '';
      return { path: `${to}/${rel}`, contents: header + text, target };
    });
}
