// The Namespace and the Gateway: an HTTP listener on listen.httpPort and, with TLS, an HTTPS
// listener (Terminate, certificate from a Secret) or a TLS listener (Passthrough) on httpsPort.
import { GATEWAY_NAME, type K8sModel } from './model.js';
import type { Annotated, ManifestFile } from './objects.js';

const sameNamespace = { namespaces: { from: 'Same' } };

function namespaceDoc(m: K8sModel): Annotated {
  return {
    object: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: m.namespace,
        labels: {
          ...m.labels(m.namespace),
          // Rejects pods that are not hardened (root, privilege escalation, host access).
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    },
  };
}

function gatewayDoc(m: K8sModel): Annotated {
  const { listen, tls } = m.spec;
  const listeners: Record<string, unknown>[] = [{ name: 'http', protocol: 'HTTP', port: listen.httpPort, hostname: listen.serverName, allowedRoutes: sameNamespace }];
  if (m.tls === 'terminate') {
    listeners.push({
      name: 'https',
      protocol: 'HTTPS',
      port: listen.httpsPort,
      hostname: listen.serverName,
      tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: m.tlsSecret }] },
      allowedRoutes: sameNamespace,
    });
  } else if (m.tls === 'passthrough') {
    listeners.push({ name: 'tls', protocol: 'TLS', port: listen.httpsPort, hostname: listen.serverName, tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'Same' }, kinds: [{ kind: 'TLSRoute' }] } });
  }
  const comment = [
    ` Gateway "${GATEWAY_NAME}" run by ${m.impl.title}.`,
    ...(m.impl.substitute ? [` ${m.impl.substitute}.`] : []),
    ` gatewayClassName "${m.impl.gatewayClass}" is ${m.impl.classSource};`,
    ' the class must exist in the cluster (kubectl get gatewayclass): change it to yours.',
    ` Listener ports are the ports the implementation exposes (listen.httpPort ${listen.httpPort}${m.tls === 'off' ? '' : `, listen.httpsPort ${listen.httpsPort}`}).`,
    ` Listener hostname ${listen.serverName}: requests for other Host names get no route (404).`,
  ];
  if (m.tls === 'terminate') {
    comment.push(
      ` TLS: create the Secret from the files of edge.yaml (tls.certFile, tls.keyFile) before applying:`,
      `   kubectl -n ${m.namespace} create secret tls ${m.tlsSecret} --cert=${tls.certFile} --key=${tls.keyFile}`,
      ' Gateway API has no portable TLS version or cipher setting: ' +
        (m.impl.id === 'envoy-gateway' ? 'the ClientTrafficPolicy in policies/envoy-gateway.yaml sets Mozilla intermediate.' : `set Mozilla intermediate (TLS 1.2+1.3, ECDHE AEAD suites) in ${m.impl.policies}.`),
    );
  }
  if (m.tls === 'passthrough') {
    comment.push(' tls.mode passthrough: the TLS listener forwards encrypted bytes by SNI (TLSRoute); the backend terminates TLS,', ' so no path routing, headers, limits or HSTS apply to that traffic.');
  }
  if (m.impl.id !== 'envoy-gateway') {
    comment.push(
      ' Not in the Gateway API, so NOT generated for this implementation: client header/body/idle timeouts, header size limits,',
      ' X-Forwarded-For trust (trustedProxies), load-balancing algorithm, passive health checks and rate limits.',
      ` Set them in ${m.impl.policies}. Readiness probes (kubelet) still keep unhealthy pods out of the Service endpoints.`,
    );
  }
  comment.push(
    m.impl.id === 'envoy-gateway'
      ? ' Access logs: Envoy Gateway logs every request to the Envoy pods\' stdout by default (kubectl logs).'
      : ` Access logs: not in the Gateway API; turn them on in ${m.impl.title}'s install (to stdout, read with kubectl logs).`,
  );
  return {
    object: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: GATEWAY_NAME, namespace: m.namespace, labels: m.labels(GATEWAY_NAME) }, spec: { gatewayClassName: m.impl.gatewayClass, listeners } },
    comment,
  };
}

export function gatewayFiles(m: K8sModel): ManifestFile[] {
  return [
    { path: 'k8s/namespace.yaml', docs: [namespaceDoc(m)] },
    { path: 'k8s/gateway.yaml', docs: [gatewayDoc(m)] },
  ];
}
