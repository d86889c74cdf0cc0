// Mozilla's "intermediate" server-side TLS guideline, version 6.0 — the one policy every target
// renders in its own syntax: TLS 1.2 + 1.3, the six ECDHE AEAD suites for TLS 1.2 (no DHE, no CBC).
// Source: https://ssl-config.mozilla.org/guidelines/6.0.json (mozilla/ssl-config-generator).
// The post-quantum hybrid group X25519MLKEM768 is listed per library where the versions edgewise
// targets support it (OpenSSL ≥ 3.5, Go ≥ 1.24); each target says when it leaves it out.

export const MOZILLA_GUIDELINE = '6.0';

/** TLS 1.2 suites, OpenSSL/BoringSSL names (nginx, HAProxy, Envoy, Envoy Gateway). */
export const INTERMEDIATE_CIPHERS_OPENSSL = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
] as const;

/** The same suites, IANA names (Go's crypto/tls: Caddy, Traefik). */
export const INTERMEDIATE_CIPHERS_IANA = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
] as const;

/** TLS 1.3 suites (OpenSSL `ciphersuites`; fixed and not configurable in Go and BoringSSL). */
export const INTERMEDIATE_TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'] as const;

/** Key-exchange groups without the ML-KEM hybrid, OpenSSL names (OpenSSL 3.0 builds: Debian's nginx, HAProxy). */
export const INTERMEDIATE_GROUPS_OPENSSL = ['X25519', 'prime256v1', 'secp384r1'] as const;
/** BoringSSL names (Envoy 1.31 predates the final ML-KEM group). */
export const INTERMEDIATE_GROUPS_BORINGSSL = ['X25519', 'P-256', 'P-384'] as const;
/** Go names, with the hybrid group (Traefik built with Go ≥ 1.24). */
export const INTERMEDIATE_GROUPS_GO = ['X25519MLKEM768', 'X25519', 'CurveP256', 'CurveP384'] as const;
/** Caddy 2.6 names (Go 1.19: no hybrid group). */
export const INTERMEDIATE_GROUPS_CADDY = ['x25519', 'secp256r1', 'secp384r1'] as const;

/** HSTS max-age from the guideline (two years). */
export const HSTS_MIN_AGE = 63_072_000;
