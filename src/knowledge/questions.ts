// One question per answer key (Contract v1). The wizard, the flags, the answers-file schema and the
// JSON Schema are all derived from this list.
import type { Question } from './types.js';

export const QUESTIONS: readonly Question[] = [
  {
    id: 'platform', flag: '--platform', type: 'enum', default: 'aws',
    prompt: 'Where will the services run?',
    help: 'aws: managed AWS edge services; self-hosted: your own machines or VMs; kubernetes: a cluster.',
    choices: [
      { value: 'aws', label: 'AWS (managed API Gateway / load balancers)' },
      { value: 'self-hosted', label: 'Self-hosted (your own servers or VMs)' },
      { value: 'kubernetes', label: 'Kubernetes' },
    ],
  },
  {
    id: 'compute', flag: '--compute', type: 'enum', default: 'containers',
    prompt: 'What runs your backend code?',
    help: 'lambda (functions), containers (ECS/Fargate or Docker), vms (EC2 or plain hosts).',
    choices: [
      { value: 'lambda', label: 'Functions (AWS Lambda)' },
      { value: 'containers', label: 'Containers' },
      { value: 'vms', label: 'Virtual machines / servers' },
    ],
    askIf: { fact: 'platform', op: 'ne', value: 'kubernetes' },
  },
  {
    id: 'services', flag: '--services', type: 'integer', default: 1, min: 1, max: 500,
    prompt: 'How many backend services sit behind the edge?',
    help: 'An integer from 1 to 500.',
  },
  {
    id: 'instances', flag: '--instances', type: 'enum', default: 'multiple',
    prompt: 'How many instances does each service run?',
    help: 'single or multiple (per service).',
    choices: [
      { value: 'single', label: 'One instance' },
      { value: 'multiple', label: 'Several instances (needs load balancing)' },
    ],
    askIf: { fact: 'compute', op: 'ne', value: 'lambda' },
  },
  {
    id: 'protocols', flag: '--protocols', type: 'list', default: ['http'],
    prompt: 'Which protocols do clients speak?',
    help: 'A non-empty list of http, websocket, grpc, tcp, udp.',
    choices: [
      { value: 'http', label: 'HTTP / REST' },
      { value: 'websocket', label: 'WebSocket' },
      { value: 'grpc', label: 'gRPC' },
      { value: 'tcp', label: 'Raw TCP' },
      { value: 'udp', label: 'UDP' },
    ],
  },
  {
    id: 'clients', flag: '--clients', type: 'list', default: ['public'],
    prompt: 'Who calls the services?',
    help: 'A non-empty list of public, partners, internal.',
    choices: [
      { value: 'public', label: 'The public internet' },
      { value: 'partners', label: 'Partners (known third parties)' },
      { value: 'internal', label: 'Internal / trusted clients' },
    ],
  },
  {
    id: 'auth', flag: '--auth', type: 'list', default: ['none'], exclusive: ['none'],
    prompt: 'How do clients authenticate at the edge?',
    help: 'A non-empty list of none, api-key, jwt, iam, mtls; none must stand alone.',
    choices: [
      { value: 'none', label: 'No authentication at the edge' },
      { value: 'api-key', label: 'API keys' },
      { value: 'jwt', label: 'JWT / OAuth2 bearer tokens' },
      { value: 'iam', label: 'AWS IAM (SigV4)' },
      { value: 'mtls', label: 'Mutual TLS (client certificates)' },
    ],
  },
  {
    id: 'rateLimit', flag: '--rate-limit', type: 'enum', default: 'none',
    prompt: 'Do you need rate limiting?',
    help: 'none, global (one limit for everyone) or per-client.',
    choices: [
      { value: 'none', label: 'No' },
      { value: 'global', label: 'Yes, a global limit' },
      { value: 'per-client', label: 'Yes, per client' },
    ],
  },
  {
    id: 'quotas', flag: '--quotas', type: 'boolean', default: false,
    prompt: 'Do clients need usage quotas (e.g. 10,000 requests a month per key)?',
    help: 'true or false.',
    askIf: { any: [{ fact: 'clients', op: 'includes', value: 'partners' }, { fact: 'auth', op: 'includes', value: 'api-key' }, { fact: 'rateLimit', op: 'eq', value: 'per-client' }] },
  },
  {
    id: 'transforms', flag: '--transforms', type: 'boolean', default: false,
    prompt: 'Do requests or responses need rewriting at the edge (headers, paths, bodies)?',
    help: 'true or false.',
  },
  {
    id: 'caching', flag: '--caching', type: 'boolean', default: false,
    prompt: 'Should the edge cache responses?',
    help: 'true or false.',
    askIf: { fact: 'protocols', op: 'includesAny', value: ['http', 'grpc'] },
  },
  {
    id: 'waf', flag: '--waf', type: 'boolean', default: false,
    prompt: 'Do you need a web application firewall?',
    help: 'true or false.',
  },
  {
    id: 'staticIp', flag: '--static-ip', type: 'boolean', default: false,
    prompt: 'Do clients need fixed IP addresses to allow-list?',
    help: 'true or false.',
    askIf: { fact: 'platform', op: 'eq', value: 'aws' },
  },
  {
    id: 'stickySessions', flag: '--sticky-sessions', type: 'boolean', default: false,
    prompt: 'Must a client stick to one instance (sticky sessions)?',
    help: 'true or false.',
    askIf: { all: [{ fact: 'compute', op: 'ne', value: 'lambda' }, { fact: 'instances', op: 'eq', value: 'multiple' }] },
  },
  {
    id: 'tls', flag: '--tls', type: 'enum', default: 'terminate',
    prompt: 'Where should TLS end?',
    help: 'terminate (at the edge) or passthrough (the services hold the certificates).',
    choices: [
      { value: 'terminate', label: 'Terminate at the edge' },
      { value: 'passthrough', label: 'Pass through to the services' },
    ],
  },
  {
    id: 'rps', flag: '--rps', type: 'number', default: 100, min: 0, exclusiveMin: true, max: 10_000_000,
    prompt: 'Expected peak requests per second?',
    help: 'A number > 0.',
  },
  {
    id: 'maxPayloadMb', flag: '--max-payload-mb', type: 'number', default: 1, min: 0, exclusiveMin: true, max: 100_000,
    prompt: 'Largest request or response body, in MB?',
    help: 'A number > 0.',
  },
  {
    id: 'maxRequestSeconds', flag: '--max-request-seconds', type: 'number', default: 10, min: 0, exclusiveMin: true, max: 86_400,
    prompt: 'Longest request, in seconds?',
    help: 'A number > 0.',
  },
  {
    id: 'proxy', flag: '--proxy', type: 'enum', default: 'auto',
    prompt: 'Which reverse proxy do you prefer?',
    help: 'auto (let edgewise choose), nginx, haproxy, caddy, traefik, envoy.',
    choices: [
      { value: 'auto', label: 'Let edgewise choose' },
      { value: 'nginx', label: 'NGINX' },
      { value: 'haproxy', label: 'HAProxy' },
      { value: 'caddy', label: 'Caddy' },
      { value: 'traefik', label: 'Traefik' },
      { value: 'envoy', label: 'Envoy' },
    ],
    askIf: { fact: 'platform', op: 'ne', value: 'aws' },
  },
];

export const questionById = (id: string): Question | undefined => QUESTIONS.find((q) => q.id === id);
