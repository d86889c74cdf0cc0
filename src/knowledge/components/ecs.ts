import type { Component } from '../types.js';

export default {
  id: 'ecs',
  name: 'Amazon ECS (Fargate or EC2)',
  kind: 'compute',
  summary: 'Containers as ECS tasks; registered with ALB/NLB target groups (IP targets for Fargate).',
  cells: {},
} satisfies Component;
