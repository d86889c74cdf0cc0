import type { Component } from '../types.js';

export default {
  id: 'pods',
  name: 'Kubernetes pods',
  kind: 'compute',
  summary: 'Workloads behind Kubernetes Services, reached through a Gateway API implementation.',
  cells: {},
} satisfies Component;
