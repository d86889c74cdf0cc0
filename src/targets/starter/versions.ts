// Dependency versions of generated starters: pinned, the same ones edgewise is tested with
// (test/starter.test.ts keeps them in step with edgewise's package.json).
export const STARTER_DEPENDENCIES = {
  ws: '8.23.0',
  yaml: '2.9.1',
} as const;

export const GATEWAY_DEPENDENCIES = {
  undici: '7.30.2',
  jose: '6.2.18',
  ioredis: '5.9.2',
  'prom-client': '15.1.3',
  pino: '10.4.0',
} as const;

export const STARTER_DEV_DEPENDENCIES = {
  typescript: '5.9.3',
  tsx: '4.21.0',
  '@types/node': '20.19.25',
  '@types/ws': '8.18.1',
} as const;
