import type { Component } from '../types.js';

export default {
  id: 'hosts',
  name: 'Self-managed hosts',
  kind: 'compute',
  summary: 'Your own servers or VMs running the services (and the proxy) directly or in Docker Compose.',
  cells: {},
} satisfies Component;
