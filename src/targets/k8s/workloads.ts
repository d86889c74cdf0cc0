// Deployments, Services and PodDisruptionBudgets for the sample services (and the TypeScript
// gateway when the topology has one). Hardened per the Pod Security "restricted" profile
// (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted).
import type { Service } from '../../spec/schema.js';
import { TS_GATEWAY_NAME, type K8sModel, type ServicePortModel } from './model.js';
import type { Annotated, ManifestFile } from './objects.js';

const RUN_AS = 10001;

const podSecurityContext = { runAsNonRoot: true, runAsUser: RUN_AS, runAsGroup: RUN_AS, fsGroup: RUN_AS, seccompProfile: { type: 'RuntimeDefault' } };
const containerSecurityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
const resources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } };

interface WorkloadInput {
  name: string;
  image: string;
  replicas: number;
  containerPorts: { name: string; containerPort: number }[];
  servicePorts: ServicePortModel[];
  env: Record<string, unknown>[];
  probe: Record<string, unknown>;
}

function workload(m: K8sModel, w: WorkloadInput): Annotated[] {
  const labels = m.labels(w.name);
  const selector = { 'app.kubernetes.io/name': w.name, 'app.kubernetes.io/part-of': m.spec.name };
  const meta = { name: w.name, namespace: m.namespace, labels };
  const docs: Annotated[] = [
    {
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta,
        spec: {
          replicas: w.replicas,
          revisionHistoryLimit: 3,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels },
            spec: {
              automountServiceAccountToken: false,
              securityContext: podSecurityContext,
              // Spread instances over nodes when the cluster has several; never blocks scheduling.
              topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } }],
              containers: [
                {
                  name: w.name,
                  image: w.image,
                  imagePullPolicy: 'IfNotPresent',
                  ports: w.containerPorts.map((p) => ({ ...p, protocol: 'TCP' })),
                  env: w.env,
                  readinessProbe: { ...w.probe, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
                  livenessProbe: { ...w.probe, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
                  resources,
                  securityContext: containerSecurityContext,
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                },
              ],
              volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
            },
          },
        },
      },
      keyComments: [{ path: ['spec', 'template', 'spec', 'containers', 0, 'image'], lines: [' Not published anywhere: build and load it into your cluster (see docs/targets/k8s.md).'] }],
    },
    {
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta,
        spec: {
          type: 'ClusterIP',
          selector,
          ports: w.servicePorts.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })),
        },
      },
    },
  ];
  if (w.replicas > 1) {
    docs.push({
      object: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta, spec: { minAvailable: 1, selector: { matchLabels: selector } } },
      comment: [' Keeps one instance up during node drains.'],
    });
  }
  return docs;
}

function sampleService(m: K8sModel, svc: Service): Annotated[] {
  const ports = m.servicePorts.get(svc.name) ?? [];
  const containerPort = svc.protocol === 'grpc' ? 'grpc' : 'http';
  const docs = workload(m, {
    name: svc.name,
    image: `${m.spec.name}/${svc.name}:dev`,
    replicas: svc.instances,
    containerPorts: [{ name: containerPort, containerPort: svc.port }],
    servicePorts: ports,
    // What the image's entrypoint passes to startSampleService(): bind all pod addresses (probes
    // and the Service reach the pod IP), and report the pod name as the instance.
    env: [
      { name: 'SERVICE_NAME', value: svc.name },
      { name: 'PORT', value: String(svc.port) },
      { name: 'HOST', value: '0.0.0.0' },
      { name: 'HEALTH_PATH', value: svc.health },
      { name: 'INSTANCE', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
    probe: svc.protocol === 'grpc' ? { grpc: { port: svc.port } } : { httpGet: { path: svc.health, port: 'http' } },
  });
  const deployment = docs[0]!;
  deployment.comment = [
    ` ${svc.name}: ${svc.instances} instance(s) behind the Service below. Readiness probes on ${svc.protocol === 'grpc' ? 'the gRPC health service' : svc.health} are the`,
    ' active health check: kubelet takes a failing pod out of the Service endpoints.',
  ];
  if (ports.some((p) => p.name === 'grpc' && p.targetPort === 'http')) {
    docs[1]!.comment = [
      ` Port grpc (appProtocol kubernetes.io/h2c) reaches the same container port over HTTP/2 cleartext for the gRPC route.`,
      ' The sample service speaks HTTP/1.1 only: replace it with a gRPC server listening on that port.',
    ];
  }
  return docs;
}

function tsGateway(m: K8sModel): Annotated[] {
  const g = m.spec.gateway;
  const docs = workload(m, {
    name: TS_GATEWAY_NAME,
    image: `${m.spec.name}/gateway:dev`,
    replicas: g.replicas,
    containerPorts: [{ name: 'http', containerPort: g.port }],
    servicePorts: [{ name: 'http', port: g.port, targetPort: 'http' }],
    env: [{ name: 'NODE_ENV', value: 'production' }],
    // TCP: the gateway's health and metrics stay off its public port (security checklist A11).
    probe: { tcpSocket: { port: 'http' } },
  });
  docs[0]!.comment = [
    ` The TypeScript gateway: auth, per-client limits, quotas and the response cache; ${m.tsGatewayScope === 'all' ? 'every HTTP route goes' : 'the routes with auth go'} through it.`,
    ' Its image must carry an edge.yaml whose listen.host is 0.0.0.0, whose services point at the Service DNS names',
    ` (<service>.${m.namespace}.svc) with one instance each (kube-proxy balances the pods), and whose trustedProxies`,
    ' hold the pod CIDR of the Gateway implementation, or every client shares the proxy\'s address. The gateway reads',
    ' services[].host, but edge.yaml v1 (the EdgeSpec) has no such field, so edgewise cannot generate that config: see docs/targets/k8s.md.',
    ...(g.redis ? [' Redis (shared limits) is not generated: run one in the cluster and point gateway.redis.url at it.'] : []),
  ];
  return docs;
}

export function workloadFiles(m: K8sModel): ManifestFile[] {
  const files: ManifestFile[] = m.spec.services.map((svc) => ({ path: `k8s/workloads/${svc.name}.yaml`, docs: sampleService(m, svc) }));
  if (m.viaTsGateway) files.push({ path: `k8s/workloads/${TS_GATEWAY_NAME}.yaml`, docs: tsGateway(m) });
  return files;
}
