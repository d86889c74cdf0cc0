// Runs the real entry point (src/main.ts) as a child process, for tests of signals and exit codes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface GatewayChild {
  child: ChildProcess;
  port: number;
  adminPort: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  kill(): void;
}

/** A temporary edge.yaml (removed by `cleanup`). */
export function writeEdgeYaml(spec: Record<string, unknown>): { file: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'edgewise-gw-'));
  const file = join(dir, 'edge.yaml');
  writeFileSync(file, stringify(spec));
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function spawnGateway(edgeFile: string, env: Record<string, string> = {}, timeoutMs = 20_000): Promise<GatewayChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, edgeFile], {
    env: { ...process.env, GATEWAY_PORT: '0', GATEWAY_ADMIN_PORT: '0', LOG_LEVEL: 'warn', GATEWAY_ACCESS_LOG: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`gateway did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const check = (): void => {
      const m = /on http:\/\/[^:]+:(\d+) /.exec(out);
      const a = /admin {2}http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m && a) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve({ child, port: Number(m[1]), adminPort: Number(a[1]), output: () => out, exited, kill });
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited (${code}) before it started:\n${out}`));
    });
  });
}
