// Request-target normalisation (RFC 3986 §6.2.2 and §5.2.4), done once before routing so the
// gateway, its policies and the upstream all see the same path (security.md A8, C9):
//  - origin-form only (RFC 9112 §3.2.1): absolute-form, authority-form and `*` are refused;
//  - path characters are RFC 3986 pchar; a backslash, NUL, control or non-ASCII byte is refused;
//  - %XX of an unreserved character is decoded; %2E (".") %2F ("/") %5C ("\") and %00–%1F/%7F
//    are refused — an encoded separator or dot exists only to slip past a prefix check;
//  - empty segments are merged (`//a` → `/a`, Envoy merge_slashes), dot segments are resolved,
//    and climbing above the root is refused; `..;x` (Tomcat's path parameter trick) is refused.
// The query string is passed through untouched (only control/space/`#`/non-ASCII refused).

/** pchar and "/": unreserved, sub-delims, ":", "@", "%" (checked separately). */
const PATH_OK = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/%") PATH_OK[c.charCodeAt(0)] = 1;
const UNRESERVED = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~') UNRESERVED[c.charCodeAt(0)] = 1;

export interface Target {
  path: string;
  /** The raw query without the leading "?" ("" when none). */
  query: string;
}

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

const HEX = '0123456789ABCDEF';

/** Decodes unreserved escapes in one segment; null when the segment is refused. */
function decodeSegment(seg: string): string | null {
  let out = '';
  let last = 0;
  for (let i = seg.indexOf('%'); i !== -1; i = seg.indexOf('%', i)) {
    const h = hex(seg.charCodeAt(i + 1));
    const l = hex(seg.charCodeAt(i + 2));
    if (h < 0 || l < 0) return null; // a lone or malformed "%"
    const v = h * 16 + l;
    if (v === 0x2e || v === 0x2f || v === 0x5c || v < 0x20 || v === 0x7f) return null;
    out += seg.slice(last, i) + (v < 128 && UNRESERVED[v] === 1 ? String.fromCharCode(v) : '%' + HEX[h]! + HEX[l]!);
    i += 3;
    last = i;
  }
  return last === 0 ? seg : out + seg.slice(last);
}

/** Normalises `url` (req.url) into `out`; false when the target must be refused with 400. */
export function normalizeTarget(url: string, out: Target): boolean {
  const n = url.length;
  if (n === 0 || url.charCodeAt(0) !== 47) return false;
  let slow = false;
  let prev = 47;
  let q = -1;
  for (let i = 1; i < n; i++) {
    const c = url.charCodeAt(i);
    if (c === 63) {
      q = i;
      break;
    }
    if (c >= 128 || PATH_OK[c] !== 1) return false;
    if (c === 37 || (prev === 47 && (c === 47 || c === 46))) slow = true;
    prev = c;
  }
  let query = '';
  if (q !== -1) {
    for (let i = q + 1; i < n; i++) {
      const c = url.charCodeAt(i);
      if (c <= 32 || c >= 127 || c === 35) return false;
    }
    query = url.slice(q + 1);
  }
  const raw = q === -1 ? url : url.slice(0, q);
  if (!slow) {
    out.path = raw;
    out.query = query;
    return true;
  }
  const segs = raw.split('/');
  const stack: string[] = [];
  let trailing = false;
  for (let i = 1; i < segs.length; i++) {
    const last = i === segs.length - 1;
    const s = decodeSegment(segs[i]!);
    if (s === null) return false;
    if (s === '' || s === '.') {
      if (last) trailing = true;
      continue;
    }
    if (s === '..') {
      if (stack.length === 0) return false; // above the root
      stack.pop();
      if (last) trailing = true;
      continue;
    }
    if (s.startsWith('.;') || s.startsWith('..;')) return false;
    stack.push(s);
  }
  out.path = stack.length === 0 ? '/' : '/' + stack.join('/') + (trailing ? '/' : '');
  out.query = query;
  return true;
}
