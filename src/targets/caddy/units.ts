// Caddyfile literals for durations and sizes. Caddy parses durations with Go's time.ParseDuration
// (plus `d`) and sizes with go-humanize, where KiB/MiB are powers of two and KB/MB powers of ten.

/** Seconds → a Caddy duration: whole seconds as `30s`, fractions as milliseconds (`100ms`). */
export function duration(seconds: number): string {
  if (Number.isInteger(seconds)) return `${seconds}s`;
  return `${Math.max(1, Math.round(seconds * 1000))}ms`;
}

/** Bytes → a Caddy size: `5MiB`, `512KiB`, or plain bytes. */
export function size(bytes: number): string {
  if (bytes % 1_048_576 === 0) return `${bytes / 1_048_576}MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024}KiB`;
  return String(bytes);
}

/** The spec's megabytes (MiB, as nginx's `1m`) in whole bytes. */
export const mebibytes = (mb: number): number => Math.max(1, Math.round(mb * 1_048_576));

/** Go's canonical header form (how Caddy's access log keys request headers): `x-api-key` → `X-Api-Key`. */
export const canonicalHeader = (name: string): string =>
  name
    .split('-')
    .map((p) => (p.length > 0 ? p[0]!.toUpperCase() + p.slice(1).toLowerCase() : p))
    .join('-');
