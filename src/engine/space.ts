// The answer space used by the property test and the benchmark: every combination of the enum
// and boolean-pack dimensions below, with representative lists and numbers. Deterministic order.
import type { Answers } from './answers.js';
import { DEFAULT_ANSWERS } from './answers.js';

const PLATFORMS: Answers['platform'][] = ['aws', 'self-hosted', 'kubernetes'];
const COMPUTES: Answers['compute'][] = ['lambda', 'containers', 'vms'];
const PROTOCOLS: Answers['protocols'][] = [['http'], ['http', 'websocket'], ['websocket'], ['http', 'grpc'], ['tcp'], ['http', 'udp']];
const CLIENTS: Answers['clients'][] = [['public'], ['internal'], ['public', 'internal'], ['partners']];
const AUTHS: Answers['auth'][] = [['none'], ['jwt'], ['api-key'], ['jwt', 'iam'], ['mtls']];
const RATE: Answers['rateLimit'][] = ['none', 'global', 'per-client'];
const TLS: Answers['tls'][] = ['terminate', 'passthrough'];
/** Booleans, instances and proxy preference, in packs. */
const PACKS: Partial<Answers>[] = [
  {},
  { caching: true, instances: 'single' },
  { waf: true, proxy: 'caddy' },
  { staticIp: true, stickySessions: true, proxy: 'haproxy' },
  { quotas: true, transforms: true, proxy: 'envoy' },
  { stickySessions: true, waf: true, caching: true, proxy: 'traefik' },
];
const NUMBERS: Partial<Answers>[] = [
  {},
  { rps: 20000, maxPayloadMb: 8, services: 200 },
  { rps: 2, maxRequestSeconds: 120, maxPayloadMb: 20 },
];

export const ANSWER_SPACE_SIZE =
  PLATFORMS.length * COMPUTES.length * PROTOCOLS.length * CLIENTS.length * AUTHS.length * RATE.length * PACKS.length * TLS.length * NUMBERS.length;

export function* answerSpace(): Generator<Answers> {
  for (const platform of PLATFORMS)
    for (const compute of COMPUTES)
      for (const protocols of PROTOCOLS)
        for (const clients of CLIENTS)
          for (const auth of AUTHS)
            for (const rateLimit of RATE)
              for (const pack of PACKS)
                for (const tls of TLS)
                  for (const numbers of NUMBERS)
                    yield { ...DEFAULT_ANSWERS, platform, compute, protocols, clients, auth, rateLimit, tls, ...pack, ...numbers };
}
