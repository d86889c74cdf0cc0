// Mozilla's intermediate TLS guideline (ssl-config-generator guidelines 6.0): TLS 1.2 + 1.3, the six
// ECDHE AEAD suites for TLS 1.2 (no DHE, no CBC); TLS 1.3 suites are not configurable in Go/BoringSSL.
// https://ssl-config.mozilla.org/#server=traefik&config=intermediate

/** IANA names, as Traefik (Go crypto/tls) accepts them. */
export const INTERMEDIATE_CIPHERS_IANA = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
] as const;

/** The same suites in OpenSSL/BoringSSL names, as Envoy accepts them. */
export const INTERMEDIATE_CIPHERS_OPENSSL = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
] as const;

/** Go curve names (Mozilla's traefik helper); X25519MLKEM768 needs a Traefik built with Go ≥ 1.24. */
export const INTERMEDIATE_CURVES_GO = ['X25519MLKEM768', 'X25519', 'CurveP256', 'CurveP384'] as const;

/** BoringSSL names for Envoy 1.31, whose BoringSSL predates the final ML-KEM hybrid group. */
export const INTERMEDIATE_CURVES_BORINGSSL = ['X25519', 'P-256', 'P-384'] as const;
