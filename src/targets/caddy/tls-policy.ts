import { INTERMEDIATE_CIPHERS_IANA, INTERMEDIATE_GROUPS_CADDY } from '../tls-mozilla.js';

// Mozilla's "intermediate" server-side TLS guideline (ssl-config-generator, guidelines 6.0):
// TLS 1.2 + 1.3, the six ECDHE AEAD suites, no DHE. Names are Go's (Caddy's `tls { ciphers }`);
// TLS 1.3 suites are fixed by Go and not configurable. X25519MLKEM768 is not in Caddy 2.6 (Go 1.19).
// https://ssl-config.mozilla.org/guidelines/6.0.json · https://caddyserver.com/docs/caddyfile/directives/tls

export const INTERMEDIATE = {
  protocols: ['tls1.2', 'tls1.3'],
  ciphers: INTERMEDIATE_CIPHERS_IANA,
  curves: INTERMEDIATE_GROUPS_CADDY,
} as const;
