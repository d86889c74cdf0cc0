// Envoy listeners: the HTTP connection manager hardened per Envoy's edge-proxy guidance
// (docs/root/configuration/best_practices/edge.rst), plain HTTP and TLS (Mozilla intermediate).
import { isIP } from 'node:net';
import type { EdgeSpec } from '../../spec/schema.js';
import { seconds } from '../edge-plan.js';
import { INTERMEDIATE_CIPHERS_OPENSSL, INTERMEDIATE_GROUPS_BORINGSSL as INTERMEDIATE_CURVES_BORINGSSL } from '../tls-mozilla.js';
import type { Notes, YamlPath } from '../yaml-doc.js';
import { anyRateLimit, anyWebSocket, apiRoutes, FILTER_BUFFER, FILTER_RATELIMIT, securityHeaders, smallestBodyBytes, TYPE_BUFFER, TYPE_RATELIMIT } from './routes.js';

type Obj = Record<string, unknown>;

const TYPE_HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const TYPE_TLS = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext';
/** Envoy's edge guidance: bound what one peer can make Envoy buffer. */
export const BUFFER_LIMIT = 32768;

/** `10.0.0.0/8` or a bare address -> an Envoy CidrRange. */
export function cidrRange(cidr: string): Obj {
  const [address = '', bits] = cidr.split('/');
  return { address_prefix: address, prefix_len: bits === undefined ? (isIP(address) === 6 ? 128 : 32) : Number(bits) };
}

const accessLog = (): Obj[] => [
  {
    name: 'envoy.access_loggers.stdout',
    typed_config: {
      '@type': 'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog',
      log_format: {
        json_format: {
          start_time: '%START_TIME%',
          client: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%',
          method: '%REQ(:METHOD)%',
          path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
          protocol: '%PROTOCOL%',
          status: '%RESPONSE_CODE%',
          flags: '%RESPONSE_FLAGS%',
          route: '%ROUTE_NAME%',
          upstream: '%UPSTREAM_HOST%',
          duration_ms: '%DURATION%',
          bytes_in: '%BYTES_RECEIVED%',
          bytes_out: '%BYTES_SENT%',
          request_id: '%REQ(X-REQUEST-ID)%',
        },
      },
    },
  },
];

function routeConfig(spec: EdgeSpec, tls: boolean, notes: Notes, at: YamlPath): Obj {
  const name = tls ? 'https' : 'http';
  if (!tls && spec.tls.local === 'self-signed' && spec.tls.redirectHttp) {
    notes.add(at, `Plain HTTP only redirects to https://${spec.listen.serverName}:${spec.listen.httpsPort} (fixed host: no redirect to a client-chosen Host).`);
    return {
      name,
      virtual_hosts: [{ name: 'redirect', domains: ['*'], routes: [{ name: 'https-redirect', match: { prefix: '/' }, redirect: { https_redirect: true, host_redirect: spec.listen.serverName, port_redirect: spec.listen.httpsPort, response_code: 'MOVED_PERMANENTLY' } }] }],
    };
  }
  const routesAt = [...at, 'virtual_hosts', 0, 'routes'];
  const out = {
    name,
    response_headers_to_add: securityHeaders(spec, tls),
    virtual_hosts: [{ name: 'edge', domains: ['*'], routes: apiRoutes(spec, notes, routesAt) }],
  };
  notes.add([...at, 'response_headers_to_add'], `Security headers on every response${tls ? ', HSTS on the TLS listener only' : ' (no HSTS on plain HTTP)'}.`);
  notes.add([...at, 'virtual_hosts', 0, 'domains'], 'Any Host: routing is by path; no route matches -> 404.');
  return out;
}

function httpFilters(spec: EdgeSpec): Obj[] {
  const filters: Obj[] = [];
  // No token bucket here: only routes with their own typed_per_filter_config are limited.
  if (anyRateLimit(spec)) filters.push({ name: FILTER_RATELIMIT, typed_config: { '@type': TYPE_RATELIMIT, stat_prefix: 'http_local_rate_limiter' } });
  filters.push({ name: FILTER_BUFFER, typed_config: { '@type': TYPE_BUFFER, max_request_bytes: smallestBodyBytes(spec) } });
  filters.push({ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } });
  return filters;
}

function hcm(spec: EdgeSpec, tls: boolean, trustedHops: number, notes: Notes, at: YamlPath): Obj {
  const l = spec.limits;
  const cfg: Obj = {
    '@type': TYPE_HCM,
    stat_prefix: tls ? 'ingress_https' : 'ingress_http',
    codec_type: 'AUTO',
    use_remote_address: true,
    xff_num_trusted_hops: trustedHops,
    normalize_path: true,
    merge_slashes: true,
    path_with_escaped_slashes_action: 'UNESCAPE_AND_REDIRECT',
    server_header_transformation: 'OVERWRITE',
    server_name: 'edge',
    request_headers_timeout: seconds(l.clientHeaderTimeoutSeconds),
    request_timeout: seconds(l.clientHeaderTimeoutSeconds + l.clientBodyTimeoutSeconds),
    stream_idle_timeout: seconds(l.clientBodyTimeoutSeconds),
    max_request_headers_kb: l.headerKb,
    common_http_protocol_options: { idle_timeout: seconds(l.idleTimeoutSeconds), headers_with_underscores_action: 'REJECT_REQUEST', max_headers_count: 100 },
    http2_protocol_options: { max_concurrent_streams: 100, initial_stream_window_size: 65536, initial_connection_window_size: 1048576 },
    ...(anyWebSocket(spec) ? { upgrade_configs: [{ upgrade_type: 'websocket', enabled: false }] } : {}),
    access_log: accessLog(),
    route_config: routeConfig(spec, tls, notes, [...at, 'route_config']),
    http_filters: httpFilters(spec),
  };
  notes.add(
    [...at, 'use_remote_address'],
    'The client address is the socket peer, never a client-sent X-Forwarded-For; Envoy appends it to XFF and strips x-envoy-* control headers from external requests.',
  );
  notes.add(
    [...at, 'xff_num_trusted_hops'],
    trustedHops > 0
      ? 'This filter chain only serves peers in spec.trustedProxies: trust the one X-Forwarded-For entry they append.'
      : 'No trusted hop: X-Forwarded-For from this peer is never believed.',
  );
  notes.add([...at, 'normalize_path'], 'Path normalisation (RFC 3986), "//" merged, %2F/%5C unescaped and redirected: prefix routing cannot be bypassed.');
  notes.add([...at, 'server_name'], 'The Server header is always "edge": no product or upstream version leaks.');
  notes.add(
    [...at, 'request_headers_timeout'],
    `Slow clients: headers within ${seconds(l.clientHeaderTimeoutSeconds)}, the whole request within ${seconds(l.clientHeaderTimeoutSeconds + l.clientBodyTimeoutSeconds)}, no ${seconds(l.clientBodyTimeoutSeconds)} without activity (each route raises the idle limit to its own timeout while the upstream works).`,
  );
  notes.add([...at, 'common_http_protocol_options'], 'Headers with "_" are rejected (400): CGI/WSGI-style backends would alias them to dashed names.');
  notes.add([...at, 'http2_protocol_options'], 'HTTP/2 limits from the edge guidance (flood protections keep their safe defaults).');
  if (anyWebSocket(spec)) notes.add([...at, 'upgrade_configs'], 'WebSocket upgrades are off by default and enabled on WebSocket routes only.');
  notes.add([...at, 'access_log'], 'Access log as JSON lines on stdout.');
  notes.add([...at, 'http_filters'], `${anyRateLimit(spec) ? 'Local rate limit (per route), then ' : ''}buffer (body limits, per route), then the router.`);
  return cfg;
}

function tlsSocket(spec: EdgeSpec): Obj {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: {
      '@type': TYPE_TLS,
      common_tls_context: {
        tls_params: {
          tls_minimum_protocol_version: 'TLSv1_2',
          tls_maximum_protocol_version: 'TLSv1_3',
          cipher_suites: [...INTERMEDIATE_CIPHERS_OPENSSL],
          ecdh_curves: [...INTERMEDIATE_CURVES_BORINGSSL],
        },
        tls_certificates: [{ certificate_chain: { filename: spec.tls.certFile }, private_key: { filename: spec.tls.keyFile } }],
        alpn_protocols: ['h2', 'http/1.1'],
      },
    },
  };
}

/** One listener. With trusted proxies, their connections get a chain that trusts one XFF hop. */
export function listener(spec: EdgeSpec, tls: boolean, notes: Notes, at: YamlPath): Obj {
  const name = tls ? 'https' : 'http';
  const port = tls ? spec.listen.httpsPort : spec.listen.httpPort;
  const chain = (trusted: boolean, chainAt: YamlPath): Obj => ({
    name: trusted ? 'trusted-proxies' : 'direct-clients',
    ...(trusted ? { filter_chain_match: { direct_source_prefix_ranges: spec.trustedProxies.map(cidrRange) } } : {}),
    filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: hcm(spec, tls, trusted ? 1 : 0, notes, [...chainAt, 'filters', 0, 'typed_config']) }],
    ...(tls ? { transport_socket: tlsSocket(spec) } : {}),
  });
  const out: Obj = { name, address: { socket_address: { address: spec.listen.host, port_value: port } }, per_connection_buffer_limit_bytes: BUFFER_LIMIT };
  if (spec.trustedProxies.length > 0) {
    out.filter_chains = [chain(true, [...at, 'filter_chains', 0])];
    out.default_filter_chain = chain(false, [...at, 'default_filter_chain']);
    notes.add([...at, 'filter_chains'], 'Connections from spec.trustedProxies (by socket address): their X-Forwarded-For entry is believed.', 'Envoy 1.31 trusts XFF hops by count, not by address; matching the peer here is what ties the trust to the proxies.');
    notes.add([...at, 'default_filter_chain'], 'Everyone else: the socket address is the client, X-Forwarded-For is not believed.');
  } else {
    out.filter_chains = [chain(false, [...at, 'filter_chains', 0])];
  }
  if (tls) {
    const socketAt = spec.trustedProxies.length > 0 ? [...at, 'default_filter_chain', 'transport_socket'] : [...at, 'filter_chains', 0, 'transport_socket'];
    notes.add(socketAt, `TLS with ${spec.tls.certFile} (self-signed, created by \`npm run dev\`). Mozilla intermediate: TLS 1.2 + 1.3, ECDHE AEAD suites only, no DHE. X25519MLKEM768 is left out: the BoringSSL of Envoy 1.31 predates it.`);
    if (spec.tls.mode === 'passthrough') notes.add(socketAt, 'tls.mode passthrough describes production; locally Envoy terminates TLS so routes, limits and headers apply.');
  }
  notes.add([...at, 'per_connection_buffer_limit_bytes'], 'Per-connection buffer cap (edge guidance): a slow reader cannot make Envoy buffer more.');
  return out;
}
