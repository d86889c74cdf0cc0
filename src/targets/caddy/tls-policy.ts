// Mozilla's "intermediate" server-side TLS guideline (ssl-config-generator, guidelines 6.0):
// TLS 1.2 + 1.3, the six ECDHE AEAD suites, no DHE. Names are Go's (Caddy's `tls { ciphers }`);
// TLS 1.3 suites are fixed by Go and not configurable. X25519MLKEM768 is not in Caddy 2.6 (Go 1.19).
// https://ssl-config.mozilla.org/guidelines/6.0.json · https://caddyserver.com/docs/caddyfile/directives/tls

export const INTERMEDIATE = {
  protocols: ['tls1.2', 'tls1.3'],
  ciphers: [
    'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  ],
  curves: ['x25519', 'secp256r1', 'secp384r1'],
} as const;
