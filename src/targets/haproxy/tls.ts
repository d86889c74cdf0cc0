// Mozilla's "intermediate" TLS guideline (6.0) as HAProxy global settings: TLS 1.2 + 1.3, the six
// ECDHE AEAD suites, no DHE (so no dhparam). Source: mozilla/ssl-config-generator
// src/static/guidelines/6.0.json and its haproxy helper. X25519MLKEM768 is left out: it needs
// OpenSSL 3.5 and HAProxy 2.6 has no per-bind fallback for an unknown group.
export const MOZILLA_INTERMEDIATE = {
  curves: 'X25519:prime256v1:secp384r1',
  ciphers: [
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-CHACHA20-POLY1305',
  ].join(':'),
  ciphersuites: 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256',
  bindOptions: 'prefer-client-ciphers ssl-min-ver TLSv1.2 no-tls-tickets',
  serverOptions: 'ssl-min-ver TLSv1.2 no-tls-tickets',
} as const;

/** HAProxy wants certificate and key in one PEM file: certs/server.crt → certs/server.pem. */
export function combinedPemPath(certFile: string): string {
  return certFile.endsWith('.crt') ? `${certFile.slice(0, -'.crt'.length)}.pem` : `${certFile}.pem`;
}
