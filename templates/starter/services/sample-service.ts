// A sample backend service. Every response says which instance answered, so load balancing is
// visible; /healthz is the health endpoint; any other path upgrades to a WebSocket echo when asked.
// Replace it with your own service: the edge only needs the port and the health path.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';

export interface SampleService {
  name: string;
  instance: number;
  port: number;
  host?: string;
  health?: string;
}

export interface Running {
  server: Server;
  close(): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function startSampleService(opts: SampleService): Promise<Running> {
  const id = `${opts.name}-${opts.instance}`;
  const health = opts.health ?? '/healthz';
  let served = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sample.invalid');
    if (url.pathname === health) {
      reply(res, 200, { status: 'ok', service: opts.name, instance: opts.instance }, { 'cache-control': 'no-store', 'x-served-by': id });
      return;
    }
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy();
    });
    req.on('end', () => {
      served += 1;
      reply(
        res,
        200,
        {
          service: opts.name,
          instance: opts.instance,
          servedBy: id,
          served,
          method: req.method,
          path: url.pathname,
          query: url.search,
          bytes: size,
          forwardedFor: req.headers['x-forwarded-for'] ?? null,
          user: req.headers['x-user-id'] ?? null,
        },
        { 'x-served-by': id },
      );
    });
  });
  server.keepAliveTimeout = 75_000; // longer than the proxies' upstream keep-alive
  const wss = new WebSocketServer({ server, maxPayload: 1024 * 1024 });
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ hello: id }));
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve({
        server,
        close: () =>
          new Promise<void>((done) => {
            for (const c of wss.clients) c.terminate();
            wss.close();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
