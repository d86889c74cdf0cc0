// Redis as the shared store for gateway rate limits and caches.
import type { Component } from '../types.js';

export default {
  id: 'redis',
  name: 'Redis',
  kind: 'store',
  summary: 'Shared in-memory store so rate-limit counters and cached responses are consistent across gateway instances.',
  cells: {
    rateLimit: {
      support: 'yes',
      note: 'Shared counters for the TypeScript gateway and Traefik rateLimit across instances',
      sources: ['EDGEWISE-GW', 'TRAEFIK-RL'],
    },
    caching: { support: 'yes', note: 'Shared response cache for the TypeScript gateway', sources: ['EDGEWISE-GW'] },
  },
} satisfies Component;
