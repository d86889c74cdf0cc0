// Shapes shared by the builders: a Kubernetes object plus the comments printed above it and above
// some of its keys (the yaml serializer turns them into `#` lines).
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface Annotated {
  object: K8sObject;
  /** Lines above the document. */
  comment?: string[];
  /** Lines above a key, addressed by its path (e.g. ['spec', 'gatewayClassName']). */
  keyComments?: { path: (string | number)[]; lines: string[] }[];
}

/** A generated file: one or more documents. */
export interface ManifestFile {
  path: string;
  /** Lines after the provenance header. */
  header?: string[];
  docs: Annotated[];
}
