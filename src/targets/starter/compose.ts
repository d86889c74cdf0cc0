// docker-compose.yml, built as an object and serialised. Every container uses the host network so
// the generated configs' 127.0.0.1 addresses work unchanged (Linux; Docker Desktop needs host
// networking enabled). Nothing listens beyond what edge.yaml says; containers run read-only,
// unprivileged, without new privileges.
import type { EdgeSpec } from '../../spec/schema.js';

const IMAGES: Record<EdgeSpec['proxy'], { image: string; command: string[]; config: string; mount: string }> = {
  nginx: { image: 'nginx:1.28-alpine', command: ['nginx', '-p', '/work/.run/nginx/', '-c', '/work/proxy/nginx/nginx.conf', '-g', 'daemon off;'], config: 'proxy/nginx', mount: '/work' },
  haproxy: { image: 'haproxy:2.8-alpine', command: ['haproxy', '-db', '-f', '/work/proxy/haproxy/haproxy.cfg'], config: 'proxy/haproxy', mount: '/work' },
  caddy: { image: 'caddy:2.8-alpine', command: ['caddy', 'run', '--config', '/work/proxy/caddy/Caddyfile', '--adapter', 'caddyfile'], config: 'proxy/caddy', mount: '/work' },
  traefik: { image: 'traefik:v3.1', command: ['traefik', '--configFile=/work/proxy/traefik/traefik.yml'], config: 'proxy/traefik', mount: '/work' },
  envoy: { image: 'envoyproxy/envoy:v1.31-latest', command: ['envoy', '-c', '/work/proxy/envoy/envoy.yaml'], config: 'proxy/envoy', mount: '/work' },
};

const hardening = {
  read_only: true,
  security_opt: ['no-new-privileges:true'],
  network_mode: 'host',
  restart: 'unless-stopped',
};

export function composeObject(spec: EdgeSpec): Record<string, unknown> {
  const services: Record<string, unknown> = {
    services: {
      image: 'node:20-alpine',
      user: 'node',
      working_dir: '/work',
      command: ['node', '--import', 'tsx', 'services/run.ts', 'edge.yaml'],
      volumes: ['./:/work:ro'],
      ...hardening,
      healthcheck: {
        test: ['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${spec.services[0]!.port}${spec.services[0]!.health}`],
        interval: '10s',
        timeout: '3s',
        retries: 3,
      },
    },
  };
  const dependsOn: string[] = ['services'];
  if (spec.gateway.redis) {
    const port = /:(\d+)(\/|$)/.exec(spec.gateway.redis.url.replace(/^redis:\/\//, ''))?.[1] ?? '6379';
    services.redis = {
      image: 'redis:7-alpine',
      command: ['redis-server', '--bind', '127.0.0.1', '--port', port, '--protected-mode', 'yes', '--save', '', '--appendonly', 'no'],
      ...hardening,
      healthcheck: { test: ['CMD', 'redis-cli', '-p', port, 'ping'], interval: '10s', timeout: '3s', retries: 3 },
    };
  }
  if (spec.targets.includes('gateway')) {
    for (let i = 0; i < spec.gateway.replicas; i++) {
      services[spec.gateway.replicas === 1 ? 'gateway' : `gateway-${i + 1}`] = {
        image: 'node:20-alpine',
        user: 'node',
        working_dir: '/work',
        command: ['node', '--import', 'tsx', 'gateway/src/main.ts', 'edge.yaml'],
        environment: { GATEWAY_PORT: String(spec.gateway.port + i), GATEWAY_ADMIN_PORT: String(spec.gateway.adminPort + i) },
        env_file: [{ path: '.env', required: false }],
        volumes: ['./:/work:ro'],
        depends_on: spec.gateway.redis ? ['services', 'redis'] : ['services'],
        ...hardening,
      };
      dependsOn.push(spec.gateway.replicas === 1 ? 'gateway' : `gateway-${i + 1}`);
    }
  }
  const proxyIds = spec.targets.filter((t): t is EdgeSpec['proxy'] => t in IMAGES);
  for (const id of proxyIds) {
    const p = IMAGES[id];
    services[id] = {
      image: p.image,
      command: p.command,
      working_dir: p.mount,
      volumes: [`./:${p.mount}:ro`, `./.run/${id}:${p.mount}/.run/${id}`],
      depends_on: dependsOn,
      ...hardening,
    };
  }
  return { name: spec.name, services };
}
