// kustomization.yaml: every generated manifest, in apply order (namespace, workloads, gateway,
// routes, policies), so `kubectl apply -k k8s/` installs the lot.
import type { K8sModel } from './model.js';
import type { ManifestFile } from './objects.js';

export function kustomizationFile(m: K8sModel, manifests: readonly ManifestFile[]): ManifestFile {
  const resources = manifests.map((f) => f.path.replace(/^k8s\//, ''));
  const header = [
    `Apply: kubectl apply -k k8s/  (needs the Gateway API CRDs v1.6 and ${m.impl.title} installed${m.tls === 'terminate' ? `, and the Secret ${m.tlsSecret}: see gateway.yaml` : ''}).`,
    'Offline check: kubectl kustomize k8s/',
  ];
  for (const s of m.skipped) header.push(`Route ${s.route} is NOT exposed: ${s.reason}.`);
  return {
    path: 'k8s/kustomization.yaml',
    header,
    docs: [{ object: { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', metadata: { name: m.spec.name }, resources } }],
  };
}
