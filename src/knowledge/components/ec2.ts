import type { Component } from '../types.js';

export default {
  id: 'ec2',
  name: 'Amazon EC2',
  kind: 'compute',
  summary: 'Virtual machines; registered with ALB/NLB target groups as instance or IP targets.',
  cells: {},
} satisfies Component;
