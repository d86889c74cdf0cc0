// Bundles the CLI into one ESM file so `edgewise recommend` starts fast (one module graph to load).
// Interactive-only dependencies (@inquirer/prompts, ejs) stay external; yaml, zod and the comparison
// table are split into chunks loaded only by the commands that need them.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli/main.ts', engine: 'src/engine/index.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  minify: true,
  legalComments: 'none',
  external: ['@inquirer/prompts', 'ejs'],
  define: { __EDGEWISE_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
