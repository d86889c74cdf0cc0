import { INTERMEDIATE_CIPHERS_OPENSSL, INTERMEDIATE_GROUPS_OPENSSL, MOZILLA_GUIDELINE } from '../tls-mozilla.js';

// Mozilla's "intermediate" TLS configuration for nginx, guideline 6.0
// (https://ssl-config.mozilla.org/guidelines/6.0.json, mozilla/ssl-config-generator): TLS 1.2 + 1.3,
// the six ECDHE AEAD suites, no DHE (so no ssl_dhparam). X25519MLKEM768 is left out because Debian's
// nginx 1.22 is linked against OpenSSL 3.0 (the generator drops it below OpenSSL 3.5), and
// ssl_session_tickets is off because nginx < 1.23.2 never rotates the ticket key.
export const MOZILLA_INTERMEDIATE = {
  guideline: MOZILLA_GUIDELINE,
  protocols: ['TLSv1.2', 'TLSv1.3'],
  ciphers: INTERMEDIATE_CIPHERS_OPENSSL,
  curves: INTERMEDIATE_GROUPS_OPENSSL,
  sessionTimeout: '1d',
  sessionCache: 'shared:MozSSL:10m',
  sessionTickets: 'off',
  preferServerCiphers: 'off',
} as const;
