// Durations in the Gateway API format (GEP-2257: `^([0-9]{1,5}(h|m|s|ms)){1,4}$`), which Envoy
// Gateway's policies accept too. Whole units only, largest first: 90 → "1m30s", 0.25 → "250ms".

export function duration(seconds: number): string {
  let ms = Math.round(seconds * 1000);
  if (ms <= 0) throw new Error(`duration must be positive: ${seconds}`);
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(ms / size);
    if (n > 0) parts.push(`${n}${unit}`);
    ms -= n * size;
  }
  return parts.join('');
}
