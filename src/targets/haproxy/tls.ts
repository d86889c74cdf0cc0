import { INTERMEDIATE_CIPHERS_OPENSSL, INTERMEDIATE_GROUPS_OPENSSL, INTERMEDIATE_TLS13_SUITES } from '../tls-mozilla.js';

// Mozilla's "intermediate" TLS guideline (6.0) as HAProxy global settings: TLS 1.2 + 1.3, the six
// ECDHE AEAD suites, no DHE (so no dhparam). Source: mozilla/ssl-config-generator
// src/static/guidelines/6.0.json and its haproxy helper. X25519MLKEM768 is left out: it needs
// OpenSSL 3.5 and HAProxy 2.6 has no per-bind fallback for an unknown group.
export const MOZILLA_INTERMEDIATE = {
  curves: INTERMEDIATE_GROUPS_OPENSSL.join(':'),
  ciphers: INTERMEDIATE_CIPHERS_OPENSSL.join(':'),
  ciphersuites: INTERMEDIATE_TLS13_SUITES.join(':'),
  bindOptions: 'prefer-client-ciphers ssl-min-ver TLSv1.2 no-tls-tickets',
  serverOptions: 'ssl-min-ver TLSv1.2 no-tls-tickets',
} as const;

/** HAProxy wants certificate and key in one PEM file: certs/server.crt → certs/server.pem. */
export function combinedPemPath(certFile: string): string {
  return certFile.endsWith('.crt') ? `${certFile.slice(0, -'.crt'.length)}.pem` : `${certFile}.pem`;
}
