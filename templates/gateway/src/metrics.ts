// Prometheus metrics (prom-client) on a registry of this gateway's own, served on the admin
// listener only. Hot-path children are looked up once and cached per route/status and service.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Upstreams } from './upstream.js';

type Inc = { inc(v?: number): void };
type Observe = { observe(v: number): void };

const NAME_RE = /^[a-z_][a-z0-9_]{0,62}$/;
const LABEL_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'status'>;
  private readonly latency: Histogram<'service'>;
  private readonly upstreamErrors: Counter<'service' | 'code'>;
  private readonly rejected: Counter<'reason'>;
  private readonly retries: Counter<'service'>;
  private readonly custom = new Map<string, Counter<string>>();
  private readonly requestChildren: (Inc | undefined)[][] = [];
  private readonly latencyChildren: Observe[] = [];

  constructor(
    private readonly routeNames: string[],
    upstreams: Upstreams,
    defaults = true,
  ) {
    const registers = [this.registry];
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'edgewise_gateway_process_' });
    this.requests = new Counter({ name: 'edgewise_gateway_requests_total', help: 'Requests answered, by route and status (route "none": refused before routing)', labelNames: ['route', 'status'], registers });
    this.latency = new Histogram({
      name: 'edgewise_gateway_upstream_duration_seconds',
      help: 'Time from dispatch to the end of the upstream response',
      labelNames: ['service'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.upstreamErrors = new Counter({ name: 'edgewise_gateway_upstream_errors_total', help: 'Upstream failures by service and internal error code', labelNames: ['service', 'code'], registers });
    this.rejected = new Counter({ name: 'edgewise_gateway_rejected_total', help: 'Requests refused by the core (bad target, headers, limits, overload, draining)', labelNames: ['reason'], registers });
    this.retries = new Counter({ name: 'edgewise_gateway_upstream_retries_total', help: 'Requests retried on another instance', labelNames: ['service'], registers });
    const healthy = new Gauge({
      name: 'edgewise_gateway_upstream_healthy',
      help: '1 when the instance is in rotation',
      labelNames: ['service', 'instance'],
      registers,
      collect() {
        for (const s of upstreams.services) for (const i of s.instances) this.set({ service: s.name, instance: String(i.index) }, i.healthy ? 1 : 0);
      },
    });
    const outstanding = new Gauge({
      name: 'edgewise_gateway_upstream_outstanding',
      help: 'Requests dispatched to the service and not finished (in flight + queued)',
      labelNames: ['service'],
      registers,
      collect() {
        for (const s of upstreams.services) this.set({ service: s.name }, s.outstanding);
      },
    });
    void healthy;
    void outstanding;
    for (const s of upstreams.services) this.latencyChildren.push(this.latency.labels(s.name));
    for (let i = 0; i < routeNames.length; i++) this.requestChildren.push([]);
  }

  /** routeIndex -1: refused before a route was known. */
  request(routeIndex: number, status: number): void {
    const row = routeIndex >= 0 ? this.requestChildren[routeIndex] : undefined;
    if (row === undefined) {
      this.requests.inc({ route: 'none', status: String(status) });
      return;
    }
    let child = row[status];
    if (child === undefined) {
      child = this.requests.labels(this.routeNames[routeIndex]!, String(status));
      row[status] = child;
    }
    child.inc();
  }

  upstreamLatency(serviceIndex: number, seconds: number): void {
    this.latencyChildren[serviceIndex]?.observe(seconds);
  }

  upstreamError(service: string, code: string): void {
    this.upstreamErrors.inc({ service, code });
  }

  reject(reason: string): void {
    this.rejected.inc({ reason });
  }

  retry(service: string): void {
    this.retries.inc({ service });
  }

  /** deps.metrics.count for policies: `edgewise_gateway_<name>_total`, label names fixed by the first call. */
  count(name: string, labels: Record<string, string> = {}): void {
    if (!NAME_RE.test(name)) return;
    let c = this.custom.get(name);
    if (c === undefined) {
      const labelNames = Object.keys(labels).filter((k) => LABEL_RE.test(k));
      try {
        c = new Counter({ name: `edgewise_gateway_${name}_total`, help: `Policy counter ${name}`, labelNames, registers: [this.registry] });
      } catch {
        return; // a name that collides with a core metric
      }
      this.custom.set(name, c);
    }
    try {
      c.inc(labels);
    } catch {
      // labels that do not match the first call's label names: dropped rather than thrown into a request
    }
  }
}
