// Docs stay in step with the data they describe.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareMarkdown } from '../src/cli/compare-format.js';
import { KNOWLEDGE_VERSION } from '../src/knowledge/version.js';

describe('docs', () => {
  it('docs/comparison.md is `edgewise compare --markdown` (regenerate: node bin/edgewise.js compare --markdown > docs/comparison.md)', () => {
    expect(readFileSync(new URL('../docs/comparison.md', import.meta.url), 'utf8')).toBe(compareMarkdown());
  });
  it('the knowledge changelog has an entry for the current knowledge version', () => {
    expect(readFileSync(new URL('../docs/knowledge-changelog.md', import.meta.url), 'utf8')).toContain(`## ${KNOWLEDGE_VERSION}`);
  });
});
