// Mozilla's intermediate TLS guideline (6.0) in the names Traefik (Go) and Envoy (BoringSSL) take;
// the policy itself lives in ../tls-mozilla.ts. https://ssl-config.mozilla.org/#server=traefik&config=intermediate
export {
  INTERMEDIATE_CIPHERS_IANA,
  INTERMEDIATE_CIPHERS_OPENSSL,
  INTERMEDIATE_GROUPS_GO as INTERMEDIATE_CURVES_GO,
  INTERMEDIATE_GROUPS_BORINGSSL as INTERMEDIATE_CURVES_BORINGSSL,
} from '../tls-mozilla.js';
