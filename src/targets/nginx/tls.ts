// Mozilla's "intermediate" TLS configuration for nginx, guideline 6.0
// (https://ssl-config.mozilla.org/guidelines/6.0.json, mozilla/ssl-config-generator): TLS 1.2 + 1.3,
// the six ECDHE AEAD suites, no DHE (so no ssl_dhparam). X25519MLKEM768 is left out because Debian's
// nginx 1.22 is linked against OpenSSL 3.0 (the generator drops it below OpenSSL 3.5), and
// ssl_session_tickets is off because nginx < 1.23.2 never rotates the ticket key.
export const MOZILLA_INTERMEDIATE = {
  guideline: '6.0',
  protocols: ['TLSv1.2', 'TLSv1.3'],
  ciphers: [
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-CHACHA20-POLY1305',
  ],
  curves: ['X25519', 'prime256v1', 'secp384r1'],
  sessionTimeout: '1d',
  sessionCache: 'shared:MozSSL:10m',
  sessionTickets: 'off',
  preferServerCiphers: 'off',
} as const;
