// Starts the sample services listed in edge.yaml (every instance), in one process.
// Usage: tsx services/run.ts [edge.yaml] — `npm run services`; `npm run dev` also starts the proxy.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startSampleService, type Running } from './sample-service.js';

interface Spec {
  listen: { host: string };
  services: { name: string; port: number; instances: number; health: string }[];
}

export async function startAll(specFile = 'edge.yaml', only?: (name: string, instance: number) => boolean): Promise<Running[]> {
  const spec = parse(readFileSync(specFile, 'utf8')) as Spec;
  const running: Running[] = [];
  for (const svc of spec.services) {
    for (let i = 0; i < svc.instances; i++) {
      if (only && !only(svc.name, i + 1)) continue;
      running.push(await startSampleService({ name: svc.name, instance: i + 1, port: svc.port + i, health: svc.health }));
      console.log(`service ${svc.name}#${i + 1} on http://127.0.0.1:${svc.port + i}`);
    }
  }
  return running;
}

if (process.argv[1] && /services[\\/]run\.[tj]s$/.test(process.argv[1])) {
  const running = await startAll(process.argv[2]);
  const stop = async (): Promise<void> => {
    await Promise.all(running.map((r) => r.close()));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}
