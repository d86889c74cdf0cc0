// Shapes of the knowledge base. Everything under src/knowledge is data; the engine interprets it.

/** Stable component ids (Contract v1). */
export const COMPONENT_IDS = [
  'cloudfront', 'waf', 'apigw-rest', 'apigw-http', 'apigw-websocket', 'vpc-link', 'alb', 'nlb', 'clb',
  'nginx', 'haproxy', 'caddy', 'traefik', 'envoy', 'ts-gateway', 'gateway-api', 'redis',
  'lambda', 'ecs', 'ec2', 'pods', 'hosts',
] as const;
export type ComponentId = (typeof COMPONENT_IDS)[number];

export const PROXY_IDS = ['nginx', 'haproxy', 'caddy', 'traefik', 'envoy'] as const;
export type ProxyId = (typeof PROXY_IDS)[number];

export const COMPUTE_IDS = ['lambda', 'ecs', 'ec2', 'pods', 'hosts'] as const;
export type ComputeId = (typeof COMPUTE_IDS)[number];

/** A source key resolves in sources.ts to a URL, a title and the date its content was read. */
export type SourceKey = string;

// ---------------------------------------------------------------------------------------------
// Conditions: json-rules-engine style, evaluated synchronously with a trace.

export type Op = 'eq' | 'ne' | 'in' | 'nin' | 'includes' | 'excludes' | 'includesAny' | 'only' | 'gt' | 'gte' | 'lt' | 'lte';
export interface Leaf {
  fact: string;
  op: Op;
  value: string | number | boolean | readonly (string | number | boolean)[];
}
export type Condition = Leaf | { all: readonly Condition[] } | { any: readonly Condition[] } | { not: Condition };

// ---------------------------------------------------------------------------------------------
// Components and the comparison table.

export type Support = 'yes' | 'no' | 'partial' | 'n/a';

export const CAPABILITY_IDS = [
  'layer', 'routing', 'auth', 'rateLimit', 'caching', 'transforms', 'loadBalancing', 'serverless', 'waf',
  'http', 'websocket', 'grpc', 'tcp', 'udp', 'staticIp', 'tlsPassthrough', 'stickySessions', 'apiKeys',
  'payloadLimit', 'timeoutLimit', 'pricing',
] as const;
export type CapabilityId = (typeof CAPABILITY_IDS)[number];

export interface Cell {
  support: Support;
  /** One short line a reader sees in `compare`. */
  note: string;
  sources: readonly SourceKey[];
  /** Set when the seed document's table says something else: what it said and why it is wrong or dated. */
  correction?: { seed: string; verdict: 'wrong' | 'dated' | 'oversimplified' | 'misleading'; note: string };
}

export type ComponentKind = 'api-gateway' | 'load-balancer' | 'reverse-proxy' | 'cdn' | 'firewall' | 'gateway' | 'glue' | 'store' | 'compute';

export interface Component {
  id: ComponentId;
  name: string;
  kind: ComponentKind;
  /** Shown in compare, never recommended (CLB). */
  legacy?: boolean;
  summary: string;
  /** Cells of the comparison table; compute/glue components may leave it empty. */
  cells: Partial<Record<CapabilityId, Cell>>;
}

// ---------------------------------------------------------------------------------------------
// Questions: one per answer key.

export type QuestionType = 'enum' | 'list' | 'boolean' | 'integer' | 'number';

export interface Choice {
  value: string;
  label: string;
}

export interface Question {
  id: string;
  flag: string;
  prompt: string;
  help: string;
  type: QuestionType;
  choices?: readonly Choice[];
  default: string | number | boolean | readonly string[];
  /** Numbers: inclusive minimum, or exclusive when `exclusiveMin` is set. */
  min?: number;
  exclusiveMin?: boolean;
  max?: number;
  /** Lists: values that must appear alone. */
  exclusive?: readonly string[];
  /** Asked by the wizard only when this holds over the answers given so far (defaults for the rest). */
  askIf?: Condition;
}

// ---------------------------------------------------------------------------------------------
// Topology candidates and rules.

export type ApiKind = 'rest' | 'http' | 'websocket';

/** A hop placeholder resolved by the engine: `$api` (API Gateway type), `$compute`, `$proxy`. */
export type Hop = ComponentId | '$api' | '$compute' | '$proxy';

export interface PathTemplate {
  /** Which clients take this path: every client, the external ones (public, partners), or internal ones. */
  clients: 'all' | 'external' | 'internal';
  /** Only for these protocols; omitted = the HTTP-family traffic (http, grpc, websocket not split off). */
  protocols?: 'websocket';
  hops: readonly Hop[];
}

export interface Candidate {
  id: string;
  /** Topology id; `{api}` is replaced by rest/http/websocket when the topology has an API Gateway. */
  idTemplate: string;
  platform: 'aws' | 'self-hosted' | 'kubernetes';
  summary: string;
  paths: readonly PathTemplate[];
  /** Candidates that only apply when this holds (e.g. hybrid needs both internal and external clients). */
  applicable?: Condition;
  /** Base preference before rules; ties break by list order. */
  base: number;
  /** Components that are part of the topology without being a hop (e.g. the proxy implementing Gateway API). */
  extra?: readonly Hop[];
}

export type Severity = 'constraint' | 'preference' | 'warning' | 'info';

export interface Effect {
  /** Candidates this rule rules out. */
  exclude?: readonly string[];
  /** Score deltas per candidate. */
  prefer?: Readonly<Record<string, number>>;
  /** API Gateway type: require one, or forbid some. */
  api?: { require?: ApiKind; forbid?: readonly ApiKind[] };
  /** Self-hosted proxy choice. */
  proxy?: { require?: ProxyId; exclude?: readonly ProxyId[]; prefer?: Readonly<Partial<Record<ProxyId, number>>> };
  /** Components added beside the paths (waf, redis) or in front of them (cloudfront). */
  addOns?: readonly ComponentId[];
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  /** Why the rule exists: what it protects the reader from. */
  rationale: string;
  /** Printed when the rule fires; `{fact}` placeholders are filled from the facts. */
  message: string;
  sources: readonly SourceKey[];
  when: Condition;
  effect: Effect;
  /** The seed document's rule of thumb this encodes, when it is one of them. */
  seed?: boolean;
  /**
   * 'pre' (default) rules read the answers and shape the choice; 'post' rules run after the choice and
   * may also read `components` (the chosen topology's components). Post rules only add reasons,
   * warnings and add-ons.
   */
  phase?: 'pre' | 'post';
}

export interface PriceSheet {
  asOf: string;
  region: string;
  sources: readonly SourceKey[];
  hoursPerMonth: number;
  secondsPerMonth: number;
  httpApi: { tiers: readonly { upToMillion: number; usdPerMillion: number }[]; meteredKb: number };
  restApi: { tiers: readonly { upToMillion: number; usdPerMillion: number }[]; cache1_6GbPerHour: number };
  websocketApi: { usdPerMillionMessages: number; usdPerMillionConnectionMinutes: number };
  alb: { perHour: number; perLcuHour: number; newConnPerLcu: number; activeConnPerMinPerLcu: number; gbPerHourPerLcu: number; gbPerHourPerLcuLambda: number; ruleEvalsPerLcu: number };
  nlb: { perHour: number; perNlcuHour: number; newFlowsPerNlcu: number; activeFlowsPerNlcu: number; gbPerHourPerNlcu: number };
  clb: { perHour: number; perGb: number };
  waf: { perWebAcl: number; perRule: number; perMillionRequests: number; assumedRules: number };
  cloudfront: { perTenThousandHttps: number; perGb: number };
  dataTransferOutPerGb: number;
}
