// The wizard, driven through the prompter seam (no terminal needed).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { EwError } from '../src/errors.js';
import { run } from '../src/cli/main.js';
import type { CliIO } from '../src/cli/io.js';
import { scriptedPrompter } from '../src/cli/prompter.js';
import { plain } from '../src/cli/style.js';
import { runWizard } from '../src/cli/wizard.js';

function io(script: Record<string, unknown>, asked: string[]): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (s: string) => out.push(s), isTTY: true },
    stderr: { write: (s: string) => err.push(s), isTTY: true },
    stdinIsTTY: true,
    env: {},
    cwd: process.cwd(),
    style: plain,
    prompter: async () => scriptedPrompter(script, asked),
  };
}

describe('wizard', () => {
  it('asks only the questions relevant to the answers so far', async () => {
    const asked: string[] = [];
    const script = { platform: 'kubernetes', services: 3, protocols: ['http', 'grpc'], clients: ['public'], auth: ['jwt'], rateLimit: 'global', transforms: false, caching: true, waf: false, stickySessions: false, instances: 'multiple', tls: 'terminate', rps: 50, maxPayloadMb: 2, maxRequestSeconds: 20, proxy: 'auto' };
    const { answers } = await runWizard(scriptedPrompter(script, asked), {});
    expect(asked).not.toContain('compute'); // irrelevant on Kubernetes
    expect(asked).not.toContain('staticIp'); // AWS only
    expect(asked).not.toContain('quotas'); // no partners, no API keys, no per-client limit
    expect(asked).toContain('proxy');
    expect(answers.platform).toBe('kubernetes');
    expect(answers.caching).toBe(true);
  });

  it('does not ask what flags already answered; lambda skips instances and stickiness', async () => {
    const asked: string[] = [];
    const script = { services: 1, protocols: ['http'], clients: ['partners'], auth: ['api-key'], rateLimit: 'per-client', quotas: true, transforms: false, caching: false, waf: true, staticIp: false, tls: 'terminate', rps: 10, maxPayloadMb: 1, maxRequestSeconds: 5 };
    const { answers } = await runWizard(scriptedPrompter(script, asked), { platform: 'aws', compute: 'lambda' });
    expect(asked).not.toContain('platform');
    expect(asked).not.toContain('compute');
    expect(asked).not.toContain('instances');
    expect(asked).not.toContain('stickySessions');
    expect(asked).not.toContain('proxy');
    expect(asked).toContain('quotas');
    expect(answers.quotas).toBe(true);
  });

  it('init shows the recommendation and saves only what differs from the defaults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgewise-wiz-'));
    const asked: string[] = [];
    const t = io({ platform: 'self-hosted', compute: 'vms', services: 2, instances: 'multiple', protocols: ['http'], clients: ['public'], auth: ['none'], rateLimit: 'none', transforms: false, caching: false, waf: false, stickySessions: false, tls: 'terminate', rps: 100, maxPayloadMb: 1, maxRequestSeconds: 10, proxy: 'haproxy', generate: false }, asked);
    const code = await run(['init', dir], t);
    expect(code, t.err.join('')).toBe(0);
    expect(asked.at(-1)).toBe('generate'); // the confirm step
    expect(t.out.join('')).toContain('edgewise recommends: reverse-proxy');
    expect(parse(readFileSync(join(dir, 'edgewise.answers.yaml'), 'utf8'))).toEqual({ platform: 'self-hosted', compute: 'vms', services: 2, proxy: 'haproxy' });
    expect(readdirSync(dir)).toEqual(['edgewise.answers.yaml']); // declined: answers only
  });

  it('Ctrl-C at a prompt exits 130 and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgewise-wiz-'));
    const t = io({ platform: 'aws', compute: new EwError('EW_CANCELLED', 'cancelled') }, []);
    const code = await run(['init', dir], t);
    expect(code).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
    expect(t.err.join('')).toContain('cancelled');
  });
});
