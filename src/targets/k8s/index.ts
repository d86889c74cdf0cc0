// The Kubernetes target: Gateway API manifests (Gateway, HTTPRoute, GRPCRoute), the sample
// services as hardened Deployments + Services, Envoy Gateway policies when Envoy Gateway runs the
// Gateway, and a kustomization.yaml. Objects are built in TypeScript and serialised with `yaml`.
import { EwError } from '../../errors.js';
import type { PlannedFile } from '../../io/writer.js';
import type { EdgeSpec } from '../../spec/schema.js';
import type { PlanContext, Target } from '../types.js';
import { checkManifests } from './check.js';
import { envoyGatewayFiles } from './envoy-gateway.js';
import { gatewayFiles } from './gateway.js';
import { kustomizationFile } from './kustomization.js';
import { buildModel } from './model.js';
import type { ManifestFile } from './objects.js';
import { routeFiles } from './routes.js';
import { renderManifest } from './serialize.js';
import { workloadFiles } from './workloads.js';

export { buildModel } from './model.js';
export { checkManifests } from './check.js';

/** The manifests of a spec, as objects (tests validate these; plan() serialises them). */
export function manifestsOf(spec: EdgeSpec): ManifestFile[] {
  const m = buildModel(spec);
  const [namespace, gateway] = gatewayFiles(m);
  const manifests = [namespace!, ...workloadFiles(m), gateway!, ...routeFiles(m), ...envoyGatewayFiles(m)];
  return [...manifests, kustomizationFile(m, manifests)];
}

export const k8sTarget: Target = {
  id: 'k8s',
  plan(spec: EdgeSpec, ctx: PlanContext): PlannedFile[] {
    const files = manifestsOf(spec);
    const kust = files[files.length - 1]!;
    const objects = files.slice(0, -1).flatMap((f) => f.docs.map((d) => d.object));
    const problems = checkManifests(objects, {
      kustomization: { resources: (kust.docs[0]!.object.resources as string[]) ?? [], files: files.slice(0, -1).map((f) => f.path.replace(/^k8s\//, '')) },
    });
    if (problems.length > 0) throw new EwError('EW_INTERNAL', 'the Kubernetes manifests failed their own checks', { details: problems });
    return files.map((f) => ({ path: f.path, contents: renderManifest(f, ctx), target: 'k8s' }));
  },
};
