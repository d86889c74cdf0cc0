// The global and defaults sections: process, logging, limits, TLS policy and timeouts.
import type { EdgeSpec } from '../../spec/schema.js';
import { type Block, BlockBuilder } from './block.js';
import { HARD_STOP_AFTER, type HaproxyOptions, MAXCONN, RUN_DIR } from './options.js';
import { MOZILLA_INTERMEDIATE } from './tls.js';
import { millis, seconds } from './units.js';

/** HTTP/2 needs buffers of at least 16 KB (configuration.txt, tune.bufsize). */
const MIN_BUFSIZE = 16384;
/** Space kept free for header rewrites; a request head may use bufsize - maxrewrite. */
const MAXREWRITE = 1024;
/** HAProxy's default limit on header fields per message. */
const MAX_HEADERS = 101;

export const tlsEnabled = (spec: EdgeSpec): boolean => spec.tls.local === 'self-signed';

export function globalBlock(spec: EdgeSpec): Block {
  const b = new BlockBuilder('global');
  b.comment(
    'Runs unprivileged in the foreground from the project root: every relative path in this file is',
    `relative to it, and runtime state stays under ${RUN_DIR}/. In production add user/group/chroot`,
    'and run it from your service manager.',
  );
  b.line('default-path current', 'master-worker', `pidfile ${RUN_DIR}/haproxy.pid`);
  b.comment('Runtime API on a Unix socket only the owner can open; no stats or admin page on any TCP port.');
  b.line(`stats socket unix@${RUN_DIR}/admin.sock mode 600 level admin`);
  b.comment('Access logs (option httplog) and server up/down events go to stdout.');
  b.line('log stdout format raw local0 info');
  b.comment('A graceful stop or reload waits at most this long for open connections (WebSockets).');
  b.line(`hard-stop-after ${HARD_STOP_AFTER}`);
  b.line(`maxconn ${MAXCONN}  # connections at once; HAProxy raises its soft file-descriptor limit to fit`);
  b.blank();

  const wanted = spec.limits.headerKb * 1024 + MAXREWRITE;
  const bufsize = Math.max(MIN_BUFSIZE, wanted);
  b.comment(`Request line + headers up to limits.headerKb (${spec.limits.headerKb} KB = bufsize - maxrewrite); larger requests get 400`);
  b.comment('(HAProxy has no 431), responses with larger headers 502. More than 100 header fields: 400.');
  if (wanted < MIN_BUFSIZE) {
    b.comment(`NOT EXPRESSED: ${spec.limits.headerKb} KB is below what HAProxy can enforce: HTTP/2 needs tune.bufsize >= 16384, so the limit is ${(MIN_BUFSIZE - MAXREWRITE) / 1024} KB.`);
  }
  b.line(`tune.bufsize ${bufsize}`, `tune.maxrewrite ${MAXREWRITE}`, `tune.http.maxhdr ${MAX_HEADERS}`);

  if (tlsEnabled(spec)) {
    b.blank();
    b.comment("TLS: Mozilla intermediate (guideline 6.0): TLS 1.2 and 1.3, ECDHE + AEAD suites only, no DHE.", 'https://ssl-config.mozilla.org/#server=haproxy&config=intermediate');
    b.line(
      `ssl-default-bind-curves ${MOZILLA_INTERMEDIATE.curves}`,
      `ssl-default-bind-ciphers ${MOZILLA_INTERMEDIATE.ciphers}`,
      `ssl-default-bind-ciphersuites ${MOZILLA_INTERMEDIATE.ciphersuites}`,
      `ssl-default-bind-options ${MOZILLA_INTERMEDIATE.bindOptions}`,
    );
    b.comment('Same policy if you point servers at TLS upstreams (the local ones are plain HTTP on loopback).');
    b.line(
      `ssl-default-server-ciphers ${MOZILLA_INTERMEDIATE.ciphers}`,
      `ssl-default-server-ciphersuites ${MOZILLA_INTERMEDIATE.ciphersuites}`,
      `ssl-default-server-options ${MOZILLA_INTERMEDIATE.serverOptions}`,
    );
  }
  return b.build();
}

export function defaultsBlock(spec: EdgeSpec, opts: HaproxyOptions): Block {
  const l = spec.limits;
  const b = new BlockBuilder('defaults');
  b.line('mode http', 'log global', 'option httplog', 'option dontlognull');
  b.comment('Header names outside [A-Za-z0-9-] are refused (403), so "X_Forwarded-For" cannot pass for "X-Forwarded-For".');
  b.line('option http-restrict-req-hdr-names reject');
  b.comment('Retry (on another server) only when the connection failed and nothing was sent: replaying a request', 'that reached a server is unsafe for non-idempotent methods.');
  b.line('retries 2', 'retry-on conn-failure', 'option redispatch');
  b.blank();
  b.comment('Timeouts (edge.yaml limits). Route backends set their own server and tunnel timeouts.');
  b.line(
    `timeout http-request ${seconds(l.clientHeaderTimeoutSeconds)}  # the whole request head, however slowly it trickles in (slowloris) -> 408`,
    `timeout client ${seconds(l.clientBodyTimeoutSeconds)}  # client inactivity: between body reads, and while it reads the response`,
    `timeout http-keep-alive ${seconds(l.idleTimeoutSeconds)}  # idle keep-alive connection waiting for its next request`,
    `timeout client-fin ${seconds(l.clientHeaderTimeoutSeconds)}  # half-closed client connections`,
    `timeout connect ${seconds(l.connectTimeoutSeconds)}`,
    `timeout queue ${seconds(l.connectTimeoutSeconds)}  # waiting for a free server -> 503`,
    'timeout server 30s  # waiting for the upstream (per route)',
    `timeout tunnel ${seconds(l.idleTimeoutSeconds)}  # idle upgraded connection (WebSocket routes override it)`,
    `timeout check ${millis(Math.min(opts.health.interMs, 2000))}`,
  );
  return b.build();
}
