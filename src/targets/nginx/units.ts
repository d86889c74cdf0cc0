// nginx value syntax: times ("10s", "500ms"), sizes ("1m", "512k") and limit_req rates ("10r/s",
// "30r/m"). https://nginx.org/en/docs/syntax.html, https://nginx.org/en/docs/http/ngx_http_limit_req_module.html

/** Seconds → an nginx time: whole seconds as "Ns", anything finer as whole milliseconds. */
export function duration(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.max(1, Math.round(seconds * 1000))}ms`;
}

/** Megabytes → an nginx size: whole megabytes as "Nm", anything finer rounded up to kilobytes. */
export function size(mb: number): string {
  return Number.isInteger(mb) ? `${mb}m` : `${Math.max(1, Math.ceil(mb * 1024))}k`;
}

export interface Rate {
  /** The limit_req_zone rate, e.g. "10r/s". */
  rate: string;
  /** True when nginx cannot express the spec's rate exactly (only whole requests per second or minute). */
  approximate: boolean;
}

/** `requests` per `windowSeconds` → the nearest limit_req rate (whole requests per second or minute, at least 1r/m). */
export function rate(requests: number, windowSeconds: number): Rate {
  const perSecond = requests / windowSeconds;
  if (Number.isInteger(perSecond)) return { rate: `${perSecond}r/s`, approximate: false };
  const perMinute = (requests * 60) / windowSeconds;
  if (Number.isInteger(perMinute)) return { rate: `${perMinute}r/m`, approximate: false };
  return { rate: `${Math.max(1, Math.round(perMinute))}r/m`, approximate: true };
}

/** Splits a comment into lines of at most `width` characters (at spaces; a longer word stays whole). */
export function wrap(text: string, width = 96): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
