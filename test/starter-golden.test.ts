// Golden files of the starter's generated (not copied) files, per scenario: edge.yaml, README, the
// decision record, package.json, docker-compose.yml, the proxy run table and the service entries.
import { describe, it } from 'vitest';
import { planProject } from '../src/generate/plan.js';
import { CTX, SCENARIOS, scenarioSpec } from './support/specs.js';
import { expectGoldenFiles } from './support/golden.js';

const GENERATED = /^(edge\.yaml|README\.md|docs\/adr\/.*|package\.json|docker-compose\.yml|scripts\/proxies\.json|services\/[^/]+\/index\.ts)$/;

describe('starter golden files', () => {
  for (const name of Object.keys(SCENARIOS)) {
    it(name, async () => {
      const files = await planProject(scenarioSpec(name), CTX);
      expectGoldenFiles(name, files.filter((f) => GENERATED.test(f.path)));
    });
  }
});
