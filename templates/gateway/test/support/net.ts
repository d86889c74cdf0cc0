// Loopback helpers for gateway tests: raw sockets (fetch and undici normalise or refuse the
// malformed requests these tests need to send), free and consecutive ports, waiting.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { readdirSync } from 'node:fs';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a truthy value (returned) or the time is up (throws). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** A port nothing listens on (listen on 0, read it, close). */
export async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Listens `make()` servers on consecutive ports (a service's instances are port, port+1, …).
 * Returns the servers in order; retries other ranges on collision.
 */
export async function listenConsecutive<S extends Server | import('node:http').Server>(count: number, make: (i: number) => S): Promise<{ base: number; servers: S[] }> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    const servers: S[] = [];
    let ok = true;
    for (let i = 0; i < count && ok; i++) {
      const s = make(i);
      ok = await new Promise<boolean>((resolve) => {
        s.once('error', () => resolve(false));
        s.listen(base + i, '127.0.0.1', () => resolve(true));
      });
      if (ok) servers.push(s);
    }
    if (ok) return { base, servers };
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
  throw new Error('no free consecutive ports');
}

export interface RawResult {
  /** Everything the server sent. */
  text: string;
  /** Status of the first response (0 when none). */
  status: number;
  /** Lower-cased headers of the first response. */
  headers: Record<string, string>;
  /** Body of the first response (as received). */
  body: string;
  /** The server closed the connection. */
  closed: boolean;
  ms: number;
}

export interface RawOptions {
  localAddress?: string;
  /** Give up (and report closed: false) after this long. */
  timeoutMs?: number;
  /** After a complete response, wait this long to see whether the server closes. */
  closeWaitMs?: number;
  /** Stop as soon as the first response is complete (no close wait). */
  firstResponseOnly?: boolean;
}

/** Parses the first HTTP/1.1 response in `text`; complete = body fully present. */
export function parseResponse(text: string): { status: number; headers: Record<string, string>; body: string; complete: boolean; rest: string } {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return { status: 0, headers: {}, body: '', complete: false, rest: '' };
  const lines = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    const k = l.slice(0, i).trim().toLowerCase();
    headers[k] = headers[k] === undefined ? l.slice(i + 1).trim() : `${headers[k]}, ${l.slice(i + 1).trim()}`;
  }
  const after = text.slice(end + 4);
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    return { status, headers, body: after.slice(0, n), complete: Buffer.byteLength(after, 'latin1') >= n, rest: after.slice(n) };
  }
  if ((headers['transfer-encoding'] ?? '').includes('chunked')) {
    let body = '';
    let pos = 0;
    for (;;) {
      const nl = after.indexOf('\r\n', pos);
      if (nl === -1) return { status, headers, body, complete: false, rest: '' };
      const size = parseInt(after.slice(pos, nl), 16);
      if (Number.isNaN(size)) return { status, headers, body, complete: false, rest: '' };
      if (size === 0) {
        const fin = after.indexOf('\r\n', nl + 2);
        return { status, headers, body, complete: fin !== -1, rest: fin === -1 ? '' : after.slice(fin + 2) };
      }
      if (after.length < nl + 2 + size + 2) return { status, headers, body: body + after.slice(nl + 2), complete: false, rest: '' };
      body += after.slice(nl + 2, nl + 2 + size);
      pos = nl + 2 + size + 2;
    }
  }
  // No framing: 1xx/204/304, or read until close.
  const noBody = status === 204 || status === 304 || (status >= 100 && status < 200);
  return { status, headers, body: after, complete: noBody, rest: noBody ? after : '' };
}

/** Connects, writes `payload` (strings are latin1), and collects what comes back. */
export function raw(port: number, payload: string | Buffer | (string | Buffer)[], opts: RawOptions = {}): Promise<RawResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const sock = connect({ port, host: '127.0.0.1', ...(opts.localAddress ? { localAddress: opts.localAddress } : {}) });
    const chunks: Buffer[] = [];
    let settled = false;
    let closeWait: NodeJS.Timeout | undefined;
    const finish = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(closeWait);
      const text = Buffer.concat(chunks).toString('latin1');
      const p = parseResponse(text);
      sock.destroy();
      resolve({ text, status: p.status, headers: p.headers, body: p.body, closed, ms: Date.now() - t0 });
    };
    const timer = setTimeout(() => finish(false), opts.timeoutMs ?? 3000);
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      const p = parseResponse(Buffer.concat(chunks).toString('latin1'));
      if (p.complete && p.status >= 200) {
        if (opts.firstResponseOnly) return finish(false);
        clearTimeout(closeWait);
        closeWait = setTimeout(() => finish(false), opts.closeWaitMs ?? 300);
      }
    });
    sock.on('close', () => finish(true));
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') return finish(true);
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(e);
      }
    });
    sock.on('connect', () => {
      for (const p of Array.isArray(payload) ? payload : [payload]) sock.write(typeof p === 'string' ? Buffer.from(p, 'latin1') : p);
    });
  });
}

/** An open socket for step-by-step tests (slow senders, keep-alive reuse). */
export function openSocket(port: number, localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Reads from `sock` until one complete response arrived (or the socket closed). */
export function readResponse(sock: Socket, timeoutMs = 3000): Promise<{ status: number; headers: Record<string, string>; body: string; closed: boolean }> {
  return new Promise((resolve) => {
    let buf = '';
    const done = (closed: boolean): void => {
      clearTimeout(t);
      sock.off('data', onData);
      sock.off('close', onClose);
      const p = parseResponse(buf);
      resolve({ status: p.status, headers: p.headers, body: p.body, closed });
    };
    const onData = (d: Buffer): void => {
      buf += d.toString('latin1');
      const p = parseResponse(buf);
      if (p.complete && p.status >= 200) done(false);
    };
    const onClose = (): void => done(true);
    const t = setTimeout(() => done(false), timeoutMs);
    sock.on('data', onData);
    sock.on('close', onClose);
  });
}

/** Waits for a socket to be closed by the peer; false on timeout. */
export function waitClosed(sock: Socket, timeoutMs: number): Promise<boolean> {
  if (sock.destroyed || sock.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), timeoutMs);
    sock.once('close', () => {
      clearTimeout(t);
      resolve(true);
    });
    sock.on('error', () => undefined);
    sock.resume();
  });
}

/** Open file descriptors of this process (Linux), for leak checks. */
export function fdCount(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return -1;
  }
}

/** A base port p such that p … p+count-1 are free now (a service's instances listen on port + i). */
export async function freeRange(count: number): Promise<number> {
  const { base, servers } = await listenConsecutive(count, () => createServer());
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return base;
}
