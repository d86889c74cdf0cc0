// Upstream services: one undici Pool per instance (explicit connect/headers/body timeouts — never
// undici's 300 s defaults), round-robin or least-outstanding balancing over healthy instances,
// passive ejection on connection failure, and a per-service cap on outstanding requests
// (Envoy circuit breakers; HAProxy maxconn + queue) that answers 503 at once instead of queueing.
import { Pool } from 'undici';
import type { GatewayConfig, ServiceConfig, Upstream } from './types.js';

export interface UpstreamOptions {
  /** Connections per instance (undici Pool `connections`). Default 128. */
  maxConnectionsPerInstance: number;
  /** Requests a service may queue beyond its connections before answering 503. Default 1024. */
  maxPendingPerService: number;
  /** Keep-alive of idle upstream connections (kept below Node's 5 s default on the upstream side). */
  keepAliveTimeoutMs: number;
  /** PEM CA bundle for https upstreams; replaces the system store. Verification is always on. */
  ca?: string | Buffer;
  /** Largest upstream response header block. Default 16 KiB (Node's own limit). */
  maxResponseHeaderBytes: number;
}

export const DEFAULT_UPSTREAM: UpstreamOptions = {
  maxConnectionsPerInstance: 128,
  maxPendingPerService: 1024,
  keepAliveTimeoutMs: 4000,
  maxResponseHeaderBytes: 16 * 1024,
};

export class Instance {
  /** The object handed to policies (`deps.pick`): allocated once, never per request. */
  readonly ref: Upstream;
  healthy = true;
  /** Consecutive active-check results, for rise/fall. */
  passes = 0;
  fails = 0;
  outstanding = 0;
  /** When passively ejected without active checks: re-admit after this time (ms since epoch). */
  ejectedUntil = 0;
  constructor(
    readonly service: ServiceState,
    readonly index: number,
    readonly origin: string,
    readonly host: string,
    readonly port: number,
    readonly tls: boolean,
    readonly pool: Pool,
  ) {
    this.ref = { service: service.name, instance: index, origin };
  }
}

export class ServiceState {
  readonly instances: Instance[] = [];
  outstanding = 0;
  limit = 0;
  private cursor = 0;
  constructor(
    readonly name: string,
    readonly config: ServiceConfig,
    readonly leastOutstanding: boolean,
  ) {}

  /** A healthy instance other than `exclude`, or undefined. */
  pick(exclude?: Instance): Instance | undefined {
    const list = this.instances;
    const n = list.length;
    if (n === 1) {
      const only = list[0]!;
      return only.healthy && only !== exclude ? only : undefined;
    }
    const start = this.cursor;
    this.cursor = (start + 1) % n;
    if (!this.leastOutstanding) {
      for (let k = 0; k < n; k++) {
        const inst = list[(start + k) % n]!;
        if (inst.healthy && inst !== exclude) return inst;
      }
      return undefined;
    }
    // Least outstanding; ties broken by the rotating start so equal instances share the load.
    let best: Instance | undefined;
    for (let k = 0; k < n; k++) {
      const inst = list[(start + k) % n]!;
      if (!inst.healthy || inst === exclude) continue;
      if (best === undefined || inst.outstanding < best.outstanding) best = inst;
    }
    return best;
  }

  healthyCount(): number {
    let c = 0;
    for (const i of this.instances) if (i.healthy) c++;
    return c;
  }
}

export class Upstreams {
  readonly services: ServiceState[] = [];
  readonly byName = new Map<string, ServiceState>();

  constructor(config: GatewayConfig, opts: UpstreamOptions) {
    const least = config.gateway.loadBalancing === 'least-outstanding';
    for (const svc of config.services) {
      const state = new ServiceState(svc.name, svc, least);
      const host = svc.host ?? '127.0.0.1';
      const tls = svc.tls === true;
      for (let i = 0; i < svc.instances; i++) {
        const port = svc.port + i;
        const origin = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
        const pool = new Pool(origin, {
          connections: opts.maxConnectionsPerInstance,
          pipelining: 1,
          connect: {
            timeout: Math.round(config.limits.connectTimeoutSeconds * 1000),
            // TLS to upstreams is verified; a CA bundle may be given, verification cannot be turned off.
            rejectUnauthorized: true,
            ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
          },
          headersTimeout: 30_000,
          bodyTimeout: 30_000,
          keepAliveTimeout: opts.keepAliveTimeoutMs,
          keepAliveMaxTimeout: Math.max(opts.keepAliveTimeoutMs, 60_000),
          maxHeaderSize: opts.maxResponseHeaderBytes,
          strictContentLength: true,
        });
        // Connection errors are reported per request; keep the pool's own emitter quiet.
        pool.on('connectionError', () => {});
        state.instances.push(new Instance(state, i + 1, origin, host, port, tls, pool));
      }
      state.limit = opts.maxConnectionsPerInstance * svc.instances + opts.maxPendingPerService;
      this.services.push(state);
      this.byName.set(svc.name, state);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.services.flatMap((s) => s.instances.map((i) => i.pool.destroy().catch(() => undefined))));
  }
}
