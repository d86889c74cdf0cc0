// Active health checks (HAProxy `check inter/rise/fall`): GET <health path> on a fresh connection
// every interval; a 2xx within the timeout is a pass, anything else — 3xx, 5xx, a hang, a refused
// connection — a failure. `fall` consecutive failures take an instance out, `rise` consecutive
// passes bring it back. Checks carry no client headers (no credentials, no cookies).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Logger } from 'pino';
import type { Instance, Upstreams } from './upstream.js';

export interface HealthOptions {
  intervalMs: number;
  timeoutMs: number;
  rise: number;
  fall: number;
}

export const DEFAULT_HEALTH: HealthOptions = { intervalMs: 2000, timeoutMs: 1000, rise: 2, fall: 3 };

export function probe(inst: Instance, path: string, timeoutMs: number, ca?: string | Buffer, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    const onAbort = (): void => finish(false);
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(ok);
    };
    const opts = {
      host: inst.host,
      port: inst.port,
      path,
      method: 'GET',
      agent: false as const,
      headers: { 'user-agent': 'edgewise-gateway-health/1', accept: '*/*', connection: 'close' },
      ...(inst.tls ? { rejectUnauthorized: true, ...(ca !== undefined ? { ca } : {}) } : {}),
    };
    const onResponse = (res: IncomingMessage): void => {
      const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
      res.on('error', () => finish(false));
      res.on('end', () => finish(ok));
      res.resume();
    };
    const req = inst.tls ? httpsRequest(opts, onResponse) : httpRequest(opts, onResponse);
    const timer = setTimeout(() => finish(false), timeoutMs);
    req.on('error', () => finish(false));
    if (signal?.aborted) finish(false);
    else signal?.addEventListener('abort', onAbort, { once: true });
    req.end();
  });
}

export class HealthChecker {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly upstreams: Upstreams,
    private readonly opts: HealthOptions,
    private readonly log: Logger,
    private readonly ca?: string | Buffer,
  ) {}

  start(): void {
    if (this.opts.intervalMs <= 0) return;
    for (const svc of this.upstreams.services) for (const inst of svc.instances) void this.loop(inst, svc.config.health);
  }

  private async loop(inst: Instance, path: string): Promise<void> {
    while (!this.stopped) {
      const ok = await probe(inst, path, this.opts.timeoutMs, this.ca, this.abort.signal);
      if (this.stopped) return;
      this.record(inst, ok);
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, this.opts.intervalMs);
        t.unref();
        this.timers.add(t);
      });
    }
  }

  record(inst: Instance, ok: boolean): void {
    if (ok) {
      inst.fails = 0;
      inst.passes++;
      if (!inst.healthy && inst.passes >= this.opts.rise) {
        inst.healthy = true;
        this.log.info({ service: inst.service.name, instance: inst.index }, 'upstream up');
      }
    } else {
      inst.passes = 0;
      inst.fails++;
      if (inst.healthy && inst.fails >= this.opts.fall) {
        inst.healthy = false;
        this.log.warn({ service: inst.service.name, instance: inst.index }, 'upstream down (health check)');
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
