// Durations and sizes as HAProxy writes them.

/** 30 → "30s", 0.5 → "500ms" (HAProxy time format, configuration.txt §2.5). */
export function seconds(s: number): string {
  return Number.isInteger(s) ? `${s}s` : `${Math.round(s * 1000)}ms`;
}

export function millis(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export const MIB = 1024 * 1024;

/** Body limits in the spec are MiB, possibly fractional; HAProxy compares bytes. */
export function mebibytesToBytes(mb: number): number {
  return Math.round(mb * MIB);
}

/** 1048576 → "1 MB", 524288 → "512 KB" (for comments). */
export function sizeLabel(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MB` : `${Math.round(bytes / 1024)} KB`;
}
