// Lazily loaded dependencies (kept off the start-up path). esbuild bundles some packages as CommonJS,
// whose dynamic import puts the exports under `default`.
type YamlModule = typeof import('yaml');

export async function loadYaml(): Promise<YamlModule> {
  const m = (await import('yaml')) as YamlModule & { default?: YamlModule };
  return typeof m.parseDocument === 'function' ? m : (m.default as YamlModule);
}
