// Runs the gateway: `tsx gateway/src/main.ts [edge.yaml]`.
// SIGTERM/SIGINT drain gracefully (health 503 at once, in-flight requests finish, exit 0); requests
// still running at the deadline are cut and the exit code is 1. A second signal exits at once.
// Exit codes: 0 clean stop, 1 runtime failure or cut requests, 2 invalid edge.yaml or environment.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logging.js';
import { createPolicies } from './policies.js';
import { createGateway, type GatewayOptions } from './server.js';
import type { GatewayConfig } from './types.js';

class EnvError extends Error {}

function envInt(name: string, def: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new EnvError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  return n;
}

async function main(): Promise<number> {
  const file = resolve(process.argv[2] ?? 'edge.yaml');
  const level = process.env.LOG_LEVEL ?? 'info';
  const { logger, flush } = createLogger(level, 'stdout', 'gateway');
  const accessTo = process.env.GATEWAY_ACCESS_LOG ?? 'stdout';
  const access = accessTo === 'off' ? null : accessTo === 'stdout' ? { logger, flush } : createLogger('info', accessTo, 'access');
  const flushAll = (): void => {
    flush();
    access?.flush();
  };

  let opts: GatewayOptions;
  let config: GatewayConfig;
  try {
    config = loadConfig(file);
    const caFile = process.env.GATEWAY_UPSTREAM_CA_FILE;
    opts = {
      policies: createPolicies,
      logger,
      accessLog: access === null ? false : access.logger,
      port: envInt('GATEWAY_PORT', config.gateway.port, 0, 65535),
      host: process.env.GATEWAY_HOST ?? config.listen.host,
      adminPort: envInt('GATEWAY_ADMIN_PORT', config.gateway.adminPort ?? 9901, 0, 65535),
      drainMs: envInt('GATEWAY_DRAIN_MS', 25_000, 0, 3_600_000),
      maxConnections: envInt('GATEWAY_MAX_CONNECTIONS', 10_000, 1, 1_000_000),
      maxConnectionsPerIp: envInt('GATEWAY_MAX_CONNECTIONS_PER_IP', 256, 0, 1_000_000),
      health: {
        intervalMs: envInt('GATEWAY_HEALTH_INTERVAL_MS', 2000, 0, 600_000),
        timeoutMs: envInt('GATEWAY_HEALTH_TIMEOUT_MS', 1000, 1, 600_000),
        rise: envInt('GATEWAY_HEALTH_RISE', 2, 1, 100),
        fall: envInt('GATEWAY_HEALTH_FALL', 3, 1, 100),
      },
      upstream: {
        maxConnectionsPerInstance: envInt('GATEWAY_UPSTREAM_CONNECTIONS', 128, 1, 100_000),
        maxPendingPerService: envInt('GATEWAY_UPSTREAM_MAX_PENDING', 1024, 0, 1_000_000),
        ...(caFile ? { ca: readFileSync(caFile) } : {}),
      },
    };
  } catch (err) {
    if (err instanceof ConfigError || err instanceof EnvError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }

  // Signal handlers go in before anything is printed: a supervisor may signal as soon as it sees output.
  let signalled: NodeJS.Signals | undefined;
  let onSignal: (signal: NodeJS.Signals) => void = (signal) => {
    signalled = signal;
  };
  process.on('SIGTERM', (s) => onSignal(s));
  process.on('SIGINT', (s) => onSignal(s));

  const gateway = await createGateway(config, opts);
  const base = `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${gateway.port}`;
  const lines = [`edgewise gateway "${config.name}" on ${base} (listening on ${opts.host})`, `  admin  http://127.0.0.1:${gateway.adminPort}/healthz  /metrics  /upstreams`];
  for (const r of config.routes) {
    const svc = config.services.find((s) => s.name === r.service);
    lines.push(`  ${base}${r.path === '/' ? '/' : r.path}  →  ${r.service} (${svc?.instances ?? 0} instance${svc?.instances === 1 ? '' : 's'})${r.auth !== 'none' ? `  auth: ${r.auth}` : ''}`);
  }
  process.stdout.write(lines.join('\n') + '\n');

  return new Promise<number>((done) => {
    let stopping = false;
    onSignal = (signal) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        done(1);
        return;
      }
      stopping = true;
      logger.info({ signal }, 'stopping');
      gateway
        .drain()
        .then(async ({ cut }) => {
          await gateway.close();
          logger.info({ cut }, cut === 0 ? 'stopped cleanly' : 'stopped: requests were cut at the drain deadline');
          done(cut === 0 ? 0 : 1);
        })
        .catch((err: unknown) => {
          logger.error({ err }, 'drain failed');
          done(1);
        });
    };
    if (signalled !== undefined) onSignal(signalled);
  }).finally(flushAll);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`gateway failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
