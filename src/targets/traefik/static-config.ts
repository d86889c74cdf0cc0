// traefik.yml — Traefik v3 static configuration: entry points, the file provider, logs.
// Reference: https://doc.traefik.io/traefik/reference/install-configuration/entrypoints/
import type { EdgeSpec } from '../../spec/schema.js';
import { longestHttpTimeout, seconds } from '../edge-plan.js';
import { Notes } from '../yaml-doc.js';

export const DYNAMIC_FILE = 'proxy/traefik/dynamic.yml';
/** Extra seconds for writing a response after the upstream answered. */
const WRITE_MARGIN_SECONDS = 5;

export const tlsOn = (spec: EdgeSpec): boolean => spec.tls.local === 'self-signed';
export const redirectsToTls = (spec: EdgeSpec): boolean => tlsOn(spec) && spec.tls.redirectHttp;

export function staticConfig(spec: EdgeSpec): { value: Record<string, unknown>; notes: Notes } {
  const notes = new Notes();
  const l = spec.limits;
  const readTimeout = l.clientHeaderTimeoutSeconds + l.clientBodyTimeoutSeconds;
  const writeTimeout = l.clientBodyTimeoutSeconds + longestHttpTimeout(spec) + WRITE_MARGIN_SECONDS;

  const entryPoint = (port: number, name: string): Record<string, unknown> => {
    const ep: Record<string, unknown> = {
      address: `${spec.listen.host}:${port}`,
      http: {
        maxHeaderBytes: l.headerKb * 1024,
        // X_Forwarded_For-style names are aliases of dashed names for CGI/WSGI/PHP backends.
        underscoreHeadersStrategy: 'reject',
        encodedCharacters: { allowEncodedSlash: false, allowEncodedBackSlash: false, allowEncodedNullCharacter: false },
      },
      http2: { maxConcurrentStreams: 100 },
      transport: {
        respondingTimeouts: { readTimeout: seconds(readTimeout), writeTimeout: seconds(writeTimeout), idleTimeout: seconds(l.idleTimeoutSeconds) },
      },
      forwardedHeaders: spec.trustedProxies.length > 0 ? { insecure: false, trustedIPs: [...spec.trustedProxies] } : { insecure: false },
    };
    const path = ['entryPoints', name];
    notes.add([...path, 'http', 'underscoreHeadersStrategy'], 'Headers with "_" are rejected (400): backends that map "_" and "-" to the same variable would otherwise read a client-forged X_Forwarded_For. Needs Traefik >= 3.6.20 / 3.7.6.');
    notes.add([...path, 'http', 'encodedCharacters'], '%2F, %5C and %00 in paths are rejected: they defeat prefix routing (path confusion).');
    notes.add([...path, 'http2'], 'HTTP/2 stream cap per connection (Envoy edge guidance: 100).');
    notes.add(
      [...path, 'transport', 'respondingTimeouts'],
      `readTimeout = header (${l.clientHeaderTimeoutSeconds}s) + body (${l.clientBodyTimeoutSeconds}s): Go times the whole request, it cannot time headers and body separately nor "between reads" like nginx. writeTimeout = body + longest route timeout + 5s. Upgraded WebSocket connections are not bound by them (Go clears deadlines on hijack).`,
    );
    notes.add(
      [...path, 'forwardedHeaders'],
      spec.trustedProxies.length > 0
        ? 'X-Forwarded-* are kept only from trustedIPs (spec.trustedProxies); from any other peer Traefik deletes them.'
        : 'No trusted proxies: X-Forwarded-* from clients are deleted; upstreams get X-Forwarded-For = the socket address.',
    );
    return ep;
  };

  const entryPoints: Record<string, unknown> = { web: entryPoint(spec.listen.httpPort, 'web') };
  if (tlsOn(spec)) entryPoints.websecure = entryPoint(spec.listen.httpsPort, 'websecure');
  if (redirectsToTls(spec)) {
    const http = (entryPoints.web as { http: Record<string, unknown> }).http;
    http.redirections = { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } };
  }

  const value = {
    global: { checkNewVersion: false, sendAnonymousUsage: false },
    entryPoints,
    serversTransport: {
      forwardingTimeouts: { dialTimeout: seconds(l.connectTimeoutSeconds), responseHeaderTimeout: seconds(longestHttpTimeout(spec)), idleConnTimeout: '60s' },
    },
    providers: { file: { filename: DYNAMIC_FILE, watch: true } },
    log: { level: 'INFO' },
    accessLog: { format: 'json', fields: { defaultMode: 'keep', headers: { defaultMode: 'drop' } } },
  };
  notes.add([], 'Traefik v3 (>= 3.6.20 or >= 3.7.6), file provider. Run from the project root:', '  traefik --configFile=proxy/traefik/traefik.yml', 'No `api`, `ping` or dashboard: nothing but the routes is exposed.');
  notes.add(['global'], 'No version checks or usage reports (no outbound calls from a local proxy).');
  notes.add(['serversTransport'], 'Defaults for upstream connections; each route overrides the response timeout (dynamic.yml serversTransports).', 'idleConnTimeout stays below the sample services\' keep-alive (75s).');
  notes.add(['accessLog'], 'Access log as JSON on stdout; request headers are dropped (no Authorization or cookies in logs).');
  return { value, notes };
}
