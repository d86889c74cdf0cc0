// Test upstreams: an HTTP echo server that records every request, and a scripted raw-TCP server
// for byte-exact (and hostile) responses that logs what it received — so "the upstream saw
// nothing" can be asserted (the pattern of HAProxy's VTest `server s1 { rxreq; txresp }`).
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  /** The request ended with its full body (false when the gateway aborted it). */
  complete: boolean;
  closedEarly: boolean;
  at: number;
}

export interface Echo {
  port: number;
  server: Server;
  seen: Seen[];
  /** Handler override: return true when it answered. Runs after the body was read (unless `streaming`). */
  handle?: (req: IncomingMessage, res: ServerResponse, seen: Seen) => boolean | void;
  close(): Promise<void>;
}

export function echoHandler(seen: Seen[], getHandle: () => Echo['handle'], instance = 1) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    const rec: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.alloc(0), complete: false, closedEarly: false, at: Date.now() };
    seen.push(rec);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('close', () => {
      if (!rec.complete) rec.closedEarly = true;
    });
    res.on('close', () => {
      if (!res.writableFinished) rec.closedEarly = true;
    });
    req.on('end', () => {
      rec.body = Buffer.concat(chunks);
      rec.complete = true;
      const h = getHandle();
      if (h && h(req, res, rec) === true) return;
      const text = JSON.stringify({ instance, method: rec.method, url: rec.url, headers: rec.headers, bytes: rec.body.length });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-instance': String(instance) });
      res.end(text);
    });
  };
}

export async function startEcho(port = 0, instance = 1): Promise<Echo> {
  const seen: Seen[] = [];
  const echo: Echo = {
    port: 0,
    server: undefined as unknown as Server,
    seen,
    close: () =>
      new Promise<void>((r) => {
        echo.server.closeAllConnections();
        echo.server.close(() => r());
      }),
  };
  echo.server = createHttpServer(echoHandler(seen, () => echo.handle, instance));
  await new Promise<void>((r) => echo.server.listen(port, '127.0.0.1', r));
  echo.port = (echo.server.address() as { port: number }).port;
  return echo;
}

export interface Scripted {
  port: number;
  server: NetServer;
  /** Everything received, per connection, in order. */
  received: string[];
  connections: number;
  sockets: Set<Socket>;
  close(): Promise<void>;
}

/**
 * A raw TCP upstream. `onRequest` is called once per connection when the request head has
 * arrived (with the data so far); it writes whatever bytes the test wants.
 */
export async function startScripted(onRequest: (sock: Socket, data: string, conn: number) => void, port = 0): Promise<Scripted> {
  const s: Scripted = {
    port: 0,
    server: undefined as unknown as NetServer,
    received: [],
    connections: 0,
    sockets: new Set(),
    close: () =>
      new Promise<void>((r) => {
        for (const k of s.sockets) k.destroy();
        s.server.close(() => r());
      }),
  };
  s.server = createNetServer((sock) => {
    const conn = s.connections++;
    s.sockets.add(sock);
    s.received[conn] = '';
    let fired = false;
    sock.on('data', (d: Buffer) => {
      s.received[conn] += d.toString('latin1');
      if (!fired && s.received[conn]!.includes('\r\n\r\n')) {
        fired = true;
        onRequest(sock, s.received[conn]!, conn);
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => s.sockets.delete(sock));
  });
  await new Promise<void>((r) => s.server.listen(port, '127.0.0.1', r));
  s.port = (s.server.address() as { port: number }).port;
  return s;
}

/** Requests (heads) an upstream received that were not health checks. */
export function nonHealth(seen: Seen[], health = '/healthz'): Seen[] {
  return seen.filter((x) => x.url !== health);
}

/** True when `data` holds a complete request (head + Content-Length or chunked body). */
export function requestComplete(data: string): boolean {
  const i = data.indexOf('\r\n\r\n');
  if (i === -1) return false;
  const head = data.slice(0, i);
  const body = data.slice(i + 4);
  const cl = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (cl) return Buffer.byteLength(body, 'latin1') >= Number(cl[1]);
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) return body.endsWith('0\r\n\r\n');
  return true;
}

/** Calls `then` once the whole request on `sock` has arrived (scripted upstreams). */
export function afterBody(sock: Socket, received: () => string, then: () => void): void {
  if (requestComplete(received())) return then();
  const on = (): void => {
    if (!requestComplete(received())) return;
    sock.off('data', on);
    then();
  };
  sock.on('data', on);
}
