// Knobs that are not in edge.yaml: health-check timing (tests shorten it) and fixed sizes.
export interface HealthTiming {
  /** Interval between checks. */
  interMs: number;
  /** Consecutive failures before a server is marked down. */
  fall: number;
  /** Consecutive successes before it is up again. */
  rise: number;
}

export interface HaproxyOptions {
  health: HealthTiming;
}

/** HAProxy's own defaults, written out (configuration.txt: inter 2000, fall 3, rise 2). */
export const DEFAULT_OPTIONS: HaproxyOptions = { health: { interMs: 2000, fall: 3, rise: 2 } };

/** Where HAProxy keeps runtime state, relative to the project root. */
export const RUN_DIR = '.run/haproxy';
export const CONFIG_PATH = 'proxy/haproxy/haproxy.cfg';

/** Global connection cap: ~2 file descriptors each; HAProxy raises the soft fd limit to fit. */
export const MAXCONN = 4096;
/** One in-memory cache per distinct TTL: size of each, and the largest object it keeps. */
export const CACHE_TOTAL_MB = 32;
export const CACHE_MAX_OBJECT_BYTES = 1024 * 1024;
/** Client addresses remembered per rate-limited route (about 100 bytes each). */
export const RATE_TABLE_SIZE = '100k';
/** A graceful stop (reload, SIGUSR1) waits at most this long for open connections such as WebSockets. */
export const HARD_STOP_AFTER = '30s';
