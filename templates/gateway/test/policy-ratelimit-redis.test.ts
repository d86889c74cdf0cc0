// Rate limits in Redis (security.md test 23): replicas share one limit; Redis down, slow or
// restarted → the configured failMode with bounded latency; reconnect restores limiting.
// Starts its own redis-server; skipped (with a message) only when the binary is missing.
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { GatewayConfig } from '../src/types.js';
import { freePort, gatewayConfig, hasRedis, json, memoryLogger, route, send, sleep, startGateway, startRedis, startUpstream, until, type RedisServer, type Upstream } from './policy-support.js';

const skip = hasRedis ? false : 'redis-server is not installed (apt-get install redis-server)';

let project = 0;
/** Each call is a new project name, so tests never share Redis keys. */
function redisConfig(upstream: Upstream, url: string, failMode: 'open' | 'closed', name = `p${++project}`): GatewayConfig {
  return gatewayConfig(upstream.port, [route({ name: 'limited', path: '/limited', rateLimit: { requests: 4, windowSeconds: 60, key: 'global', burst: 0 } })], {
    name,
    gateway: { port: 0, replicas: 2, loadBalancing: 'round-robin', allowedOrigins: [], redis: { url, failMode } },
  });
}

const REDIS_OPTS = { connectTimeoutMs: 300, commandTimeoutMs: 200, logIntervalMs: 60_000 };

/** A TCP relay in front of Redis that can hold Redis' answers back (a "slow Redis"). */
async function slowRelay(target: number): Promise<{ port: number; delayMs: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { port: 0, delayMs: 0, close: async () => undefined as void };
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      if (state.delayMs > 0) setTimeout(() => client.writable && client.write(d), state.delayMs).unref();
      else client.write(d);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.port = (server.address() as { port: number }).port;
  state.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return state;
}

describe('Redis-backed rate limits (security.md 23)', { skip }, () => {
  let redis: RedisServer;
  let upstream: Upstream;

  before(async () => {
    redis = await startRedis();
    upstream = await startUpstream();
  });
  after(async () => {
    await redis.kill();
    await upstream.close();
  });

  it('two gateway replicas enforce one shared limit', async () => {
    const a = await startGateway(redisConfig(upstream, redis.url, 'closed', 'shared'), { redis: REDIS_OPTS });
    const b = await startGateway(redisConfig(upstream, redis.url, 'closed', 'shared'), { redis: REDIS_OPTS });
    try {
      await sleep(200); // connected
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await send(i % 2 === 0 ? a.port : b.port, '/limited')).status);
      assert.equal(statuses.filter((s) => s === 200).length, 4, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 429).length, 4);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('fail-open: Redis killed → requests pass quickly, one log line per interval; restart restores limiting', async () => {
    const { logger, lines } = memoryLogger('warn');
    const gw = await startGateway(redisConfig(upstream, redis.url, 'open'), { redis: REDIS_OPTS }, { logger });
    try {
      await sleep(200);
      for (let i = 0; i < 4; i++) assert.equal((await send(gw.port, '/limited', { localAddress: '127.0.3.1' })).status, 200);
      assert.equal((await send(gw.port, '/limited')).status, 429);
      await redis.kill();
      for (let i = 0; i < 10; i++) {
        const r = await send(gw.port, '/limited');
        assert.equal(r.status, 200, r.body);
        assert.ok(r.ms < 500, `latency ${r.ms} ms with Redis down`);
      }
      assert.equal(lines.filter((l) => String(l.msg).startsWith('limit store unavailable')).length, 1, JSON.stringify(lines.map((l) => l.msg)));
      await redis.start();
      await until(async () => (await send(gw.port, '/limited')).status === 429, 8000, 'limiting to resume after Redis restart');
    } finally {
      await gw.close();
    }
  });

  it('fail-closed: Redis killed → 503 at once; restart restores service and limiting', async () => {
    const gw = await startGateway(redisConfig(upstream, redis.url, 'closed'), { redis: REDIS_OPTS });
    try {
      await until(async () => (await send(gw.port, '/limited')).status === 200, 3000, 'Redis connection');
      await redis.kill();
      const before = upstream.seen.length;
      for (let i = 0; i < 5; i++) {
        const r = await send(gw.port, '/limited');
        assert.equal(r.status, 503);
        assert.deepEqual(json(r), { error: 'rate_limit_unavailable', status: 503 });
        assert.equal(r.headers['retry-after'], '1');
        assert.ok(r.ms < 500, `latency ${r.ms} ms`);
      }
      assert.equal(upstream.seen.length, before);
      await redis.start();
      await until(async () => (await send(gw.port, '/limited')).status === 200, 8000, 'Redis reconnect');
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await send(gw.port, '/limited')).status);
      assert.ok(statuses.includes(429), statuses.join(','));
    } finally {
      await gw.close();
    }
  });

  it('a slow Redis costs at most the command timeout per request', async () => {
    const relay = await slowRelay(redis.port);
    // fail-closed, so a 200 proves the gateway really talks to Redis through the relay.
    const gw = await startGateway(redisConfig(upstream, `redis://127.0.0.1:${relay.port}`, 'closed'), { redis: REDIS_OPTS });
    try {
      await until(async () => (await send(gw.port, '/limited')).status === 200, 3000, 'Redis connection');
      relay.delayMs = 2000;
      for (let i = 0; i < 3; i++) {
        const r = await send(gw.port, '/limited');
        assert.equal(r.status, 503);
        assert.ok(r.ms < 800, `latency ${r.ms} ms with a 2 s Redis`);
      }
    } finally {
      await gw.close();
      await relay.close();
    }
  });

  it('starts without Redis (fail-open) and begins limiting once Redis appears', async () => {
    const port = await freePort();
    const gw = await startGateway(redisConfig(upstream, `redis://127.0.0.1:${port}`, 'open'), { redis: REDIS_OPTS });
    const late: { kill(): Promise<void> }[] = [];
    try {
      for (let i = 0; i < 6; i++) assert.equal((await send(gw.port, '/limited')).status, 200);
      const { spawn } = await import('node:child_process');
      const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      late.push({
        kill: () =>
          new Promise<void>((r) => {
            if (child.exitCode !== null) return r();
            child.once('exit', () => r());
            child.kill('SIGKILL');
          }),
      });
      await until(async () => (await send(gw.port, '/limited')).status === 429, 8000, 'limiting with the late Redis');
    } finally {
      await gw.close();
      for (const l of late) await l.kill();
    }
  });
});
