// A target turns the EdgeSpec into files, in memory. One target per output family.
import type { PlannedFile } from '../io/writer.js';
import type { EdgeSpec } from '../spec/schema.js';

export interface PlanContext {
  /** edgewise version and knowledge version, stamped into every file that takes comments. */
  version: string;
  knowledgeVersion: string;
  /** The command that regenerates the file. */
  regenerate: string;
}

export interface Target {
  id: string;
  /** Files relative to the project root. */
  plan(spec: EdgeSpec, ctx: PlanContext): Promise<PlannedFile[]> | PlannedFile[];
}

/** What a proxy's free edition can express; the README and comments say so where it cannot. */
export interface ProxyCapabilities {
  activeHealthChecks: boolean;
  rateLimit: boolean;
  cache: boolean;
  websocket: boolean;
  grpc: boolean;
  stickySessions: boolean;
}

/** A self-hosted proxy target: its files, and how to validate and run them with the real binary. */
export interface ProxyTarget extends Target {
  id: 'nginx' | 'haproxy' | 'caddy' | 'traefik' | 'envoy';
  capabilities: ProxyCapabilities;
  local: {
    /** The binary on PATH. */
    bin: string;
    /** Arguments that only check the config (e.g. `-t`), run from the project root. */
    validate(spec: EdgeSpec): string[];
    /** Arguments that run the proxy in the foreground with the generated config, from the project root. */
    run(spec: EdgeSpec): string[];
    /** Arguments to use instead of run() when started as root (local development), if they differ. */
    runAsRoot?(spec: EdgeSpec): string[];
    /** Directories (relative to the project root) that must exist before it runs (temp, cache, logs). */
    dirs: readonly string[];
    /** Environment for the binary (values relative to the project root), e.g. where Caddy keeps state. */
    env?: Readonly<Record<string, string>>;
  };
}
