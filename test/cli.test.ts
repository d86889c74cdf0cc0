// The CLI end to end: the built bin is spawned as a user would run it.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

// ajv ships CommonJS: its class is the default export's default under NodeNext.
const Ajv2020 = (Ajv2020Module as unknown as { default: typeof Ajv2020Module.default }).default ?? Ajv2020Module.default;

const BIN = join(ROOT, 'bin', 'edgewise.js');
const ENV = { ...process.env, NO_COLOR: '1', CI: '' } as NodeJS.ProcessEnv;
delete ENV.FORCE_COLOR;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? tmp(), env: opts.env ?? ENV, input: opts.input ?? '', encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'edgewise-cli-'));
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('run `npm run build` first (npm test does)');
});

describe('recommend --json', () => {
  it('prints exactly one JSON document that matches the published JSON Schema', () => {
    const schema = JSON.parse(cli(['schema', 'recommendation']).stdout);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    for (const args of [
      ['--platform', 'aws', '--compute', 'lambda', '--auth', 'jwt', '--rate-limit', 'global'],
      ['--platform', 'aws', '--compute', 'containers', '--clients', 'public,internal', '--auth', 'api-key', '--quotas'],
      ['--platform', 'self-hosted', '--services', '3', '--sticky-sessions'],
      ['--platform', 'kubernetes', '--protocols', 'http,grpc,websocket'],
    ]) {
      const r = cli(['recommend', '--json', ...args]);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      expect(doc.schemaVersion).toBe(1);
      expect(r.stderr).toBe('');
    }
  });

  it('answers file and flags: flags win', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.yaml'), 'platform: aws\ncompute: lambda\nauth: [jwt]\n');
    const r = cli(['recommend', '--json', '--answers', 'a.yaml', '--compute', 'containers'], { cwd: dir });
    const doc = JSON.parse(r.stdout);
    expect(doc.answers.compute).toBe('containers');
    expect(doc.answers.auth).toEqual(['jwt']);
    expect(doc.topology.components).toContain('alb');
    const j = cli(['recommend', '--json', '--answers', 'a.json'], { cwd: (writeFileSync(join(dir, 'a.json'), '{"platform":"self-hosted"}'), dir) });
    expect(JSON.parse(j.stdout).topology.id).toBe('reverse-proxy');
  });

  it('human output lists reasons, a sketch and what was assumed; never writes files', () => {
    const dir = tmp();
    const r = cli(['recommend', '--platform', 'aws', '--compute', 'containers'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('edgewise recommends: alb');
    expect(r.stdout).toContain('─▶ alb ─▶ ecs');
    expect(r.stdout).toContain('[servers-alb-only]');
    expect(r.stdout).toMatch(/Assumed[\s\S]*services=1/);
    expect(r.stdout).not.toMatch(/Assumed[\s\S]*platform=/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('boolean flags take --no-<flag>', () => {
    const r = cli(['recommend', '--json', '--compute', 'containers', '--no-caching']);
    expect(JSON.parse(r.stdout).answers.caching).toBe(false);
  });
});

describe('bad input: one line naming the key and the allowed values, exit 2, nothing written', () => {
  const cases: [string, string[], string, string?][] = [
    ['enum out of range', ['--platform', 'gcp'], '--platform', 'aws, self-hosted, kubernetes'],
    ['enum by case', ['--proxy', 'NGINX'], '--proxy', 'nginx'],
    ['empty list', ['--protocols', ''], '--protocols', 'non-empty list'],
    ['list item unknown', ['--protocols', 'http,quic'], '--protocols', 'http, websocket, grpc, tcp, udp'],
    ['none with another auth', ['--auth', 'none,jwt'], '--auth', 'none alone'],
    ['integer out of range', ['--services', '0'], '--services', '1 to 500'],
    ['integer too big', ['--services', '501'], '--services', '1 to 500'],
    ['not an integer', ['--services', '2.5'], '--services', 'integer'],
    ['not a number', ['--rps', 'abc'], '--rps', '> 0'],
    ['negative', ['--rps', '-5'], '--rps'],
    ['zero', ['--max-payload-mb', '0'], '--max-payload-mb', '> 0'],
    ['unknown flag', ['--forse'], '--forse'],
    ['flag twice, different values', ['--platform', 'aws', '--platform', 'kubernetes'], '--platform', 'twice'],
  ];
  for (const [name, args, key, allowed] of cases) {
    it(name, () => {
      const dir = tmp();
      const r = cli(['recommend', '--json', ...args], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(key);
      if (allowed) expect(r.stderr).toContain(allowed);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  const files: [string, string, string, string?][] = [
    ['unknown key', 'platform: aws\nbogus: 1\n', 'bogus', 'allowed keys'],
    ['misspelt key', 'rateLimt: global\n', 'rateLimit'],
    ['wrong type', 'services: "3"\n', 'services', 'integer'],
    ['string for boolean', 'caching: yes\n', 'caching', 'true or false'],
    ['empty list', 'protocols: []\n', 'protocols', 'non-empty'],
    ['none combined', 'auth: [none, jwt]\n', 'auth', 'none alone'],
    ['number out of range', 'rps: 0\n', 'rps', '> 0'],
    ['infinite number', 'rps: .inf\n', 'rps'],
    ['malformed YAML', 'platform: [aws\n', 'invalid YAML'],
    ['duplicate keys', 'platform: aws\nplatform: kubernetes\n', 'unique'],
    ['two documents', 'platform: aws\n---\nplatform: aws\n', 'multiple documents'],
    ['unknown tag', 'platform: !!js/function "x"\n', 'Unresolved tag'],
    ['__proto__ key', '__proto__: {polluted: true}\n', '__proto__', 'not allowed'],
    ['nested __proto__', 'platform: aws\nauth: {__proto__: 1}\n', '__proto__'],
    ['alias bomb', 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n', 'alias'],
    ['not a mapping', '- platform\n- aws\n', 'mapping'],
  ];
  for (const [name, text, key, more] of files) {
    it(`answers file: ${name}`, () => {
      const dir = tmp();
      writeFileSync(join(dir, 'answers.yaml'), text);
      const r = cli(['recommend', '--answers', 'answers.yaml'], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('answers.yaml');
      expect(r.stderr).toContain(key);
      if (more) expect(r.stderr).toContain(more);
      expect(readdirSync(dir)).toEqual(['answers.yaml']);
    });
  }

  it('answers file: malformed JSON, duplicate JSON keys, missing file, too large, not UTF-8', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.json'), '{"platform": "aws",}');
    writeFileSync(join(dir, 'd.json'), '{"platform": "aws", "platform": "kubernetes"}');
    writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    writeFileSync(join(dir, 'bin.yaml'), Buffer.from([0x70, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    for (const [f, msg] of [['a.json', 'invalid JSON'], ['d.json', 'unique'], ['missing.yaml', 'cannot read'], ['big.yaml', 'too large'], ['bin.yaml', 'UTF-8']]) {
      const r = cli(['recommend', '--answers', f!], { cwd: dir });
      expect(r.code, f).toBe(2);
      expect(r.stderr, f).toContain(msg!);
    }
  });
});

describe('init', () => {
  it('without a terminal and without --yes: exit 2 listing the flags, nothing written', () => {
    for (const env of [ENV, { ...ENV, CI: 'true' }]) {
      const dir = tmp();
      const t0 = Date.now();
      const r = cli(['init'], { cwd: dir, env });
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--yes');
      for (const flag of ['--platform', '--compute', '--rate-limit', '--max-request-seconds', '--proxy']) expect(r.stderr).toContain(flag);
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('--yes accepts defaults, prints what it assumed and saves a replayable answers file', () => {
    const dir = tmp();
    const r = cli(['init', '--yes', '--no-generate', '--platform', 'self-hosted', '--auth', 'jwt'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Assumed');
    const saved = readFileSync(join(dir, 'edgewise.answers.yaml'), 'utf8');
    expect(saved).toMatch(/^# edgewise answers/);
    expect(parse(saved)).toEqual({ platform: 'self-hosted', auth: ['jwt'] });
    const replay = JSON.parse(cli(['recommend', '--json', '--answers', 'edgewise.answers.yaml'], { cwd: dir }).stdout);
    expect(replay.topology.id).toBe('reverse-proxy-ts-gateway');
    // never overwrites without --force
    const again = cli(['init', '--yes', '--no-generate', '--platform', 'aws'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
    expect(parse(readFileSync(join(dir, 'edgewise.answers.yaml'), 'utf8')).platform).toBe('self-hosted');
    expect(cli(['init', '--yes', '--no-generate', '--platform', 'aws', '--force'], { cwd: dir }).code).toBe(0);
    expect(parse(readFileSync(join(dir, 'edgewise.answers.yaml'), 'utf8'))).toEqual({});
  });

  it('init --yes [dir] ends by generating the starter (with the answers file in it)', () => {
    const dir = tmp();
    const r = cli(['init', 'proj', '--yes', '--platform', 'self-hosted', '--services', '2'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(join(dir, 'proj'));
    for (const f of ['edge.yaml', 'edgewise.answers.yaml', 'README.md', 'package.json', 'services', 'proxy']) expect(files).toContain(f);
    expect(parse(readFileSync(join(dir, 'proj', 'edgewise.answers.yaml'), 'utf8'))).toEqual({ platform: 'self-hosted', services: 2 });
    // --json prints exactly one JSON document even when it generates
    const j = cli(['init', 'proj2', '--yes', '--json', '--platform', 'aws'], { cwd: dir });
    expect(JSON.parse(j.stdout).topology.id).toBe('alb');
  });

  it('Ctrl-C at a real prompt (pty) exits 130 and leaves nothing behind', async () => {
    const dir = tmp();
    const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} init`, '/dev/null'], { cwd: dir, env: { ...ENV, TERM: 'xterm' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no prompt seen: ${out}`));
      }, 20_000);
      const poll = setInterval(() => {
        if (out.includes('Where will the services run')) {
          clearInterval(poll);
          child.stdin.write('\x03');
        }
      }, 50);
      child.on('exit', (c) => {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(c);
      });
    });
    expect(code).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('colour', () => {
  const ansi = new RegExp(String.fromCharCode(27) + "\\[");
  it('NO_COLOR and --no-color turn colour off even when forced', () => {
    expect(cli(['recommend'], { env: { ...ENV, NO_COLOR: undefined, FORCE_COLOR: '1' } }).stdout).toMatch(ansi);
    expect(cli(['recommend'], { env: { ...ENV, NO_COLOR: '1', FORCE_COLOR: '1' } }).stdout).not.toMatch(ansi);
    expect(cli(['recommend', '--no-color'], { env: { ...ENV, NO_COLOR: undefined, FORCE_COLOR: '1' } }).stdout).not.toMatch(ansi);
    expect(cli(['recommend'], { env: { ...ENV, NO_COLOR: undefined } }).stdout).not.toMatch(ansi); // not a terminal
  });
});

describe('compare, explain, schema, help', () => {
  it('compare --json lists every component with sourced cells and the seed corrections', () => {
    const doc = JSON.parse(cli(['compare', '--json']).stdout);
    const ids = doc.components.map((c: { id: string }) => c.id);
    for (const id of ['apigw-rest', 'apigw-http', 'apigw-websocket', 'alb', 'nlb', 'clb', 'cloudfront', 'waf', 'nginx', 'haproxy', 'caddy', 'traefik', 'envoy', 'ts-gateway', 'gateway-api']) expect(ids).toContain(id);
    expect(doc.corrections.length).toBeGreaterThan(5);
    const md = cli(['compare', '--markdown']).stdout;
    expect(md).toContain('| Capability |');
    expect(cli(['compare']).stdout).toContain('corrected');
  });
  it('explain lists the rules; explain <id> shows rationale and sources; unknown id exits 2', () => {
    const list = JSON.parse(cli(['explain', '--json']).stdout);
    expect(list.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(list[0]).sort()).toEqual(['id', 'severity', 'sources', 'title']);
    const one = cli(['explain', 'vpc-link-v2-alb']);
    expect(one.stdout).toContain('2025-11-21');
    expect(one.stdout).toContain('https://docs.aws.amazon.com/');
    const bad = cli(['explain', 'no-such-rule']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('rule-id');
  });
  it('schema answers validates answers files; unknown schema exits 2', () => {
    const schema = JSON.parse(cli(['schema', 'answers']).stdout);
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate({ platform: 'aws', protocols: ['http', 'grpc'] })).toBe(true);
    expect(validate({ platform: 'gcp' })).toBe(false);
    expect(validate({ bogus: 1 })).toBe(false);
    expect(cli(['schema', 'nope']).code).toBe(2);
  });
  it('--help and --version exit 0; no arguments without a terminal prints help', () => {
    expect(cli(['--help']).code).toBe(0);
    expect(cli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const r = cli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: edgewise');
  });
});

describe('packaging', () => {
  it('npm pack, install the tarball, run the packed CLI', () => {
    const dir = tmp();
    const pack = spawnSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: ROOT, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"app","version":"1.0.0","private":true}');
    const inst = spawnSync('npm', ['install', join(dir, tgz), '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
    expect(inst.status, inst.stderr).toBe(0);
    const r = spawnSync(join(app, 'node_modules', '.bin', 'edgewise'), ['recommend', '--json', '--platform', 'kubernetes'], { cwd: app, encoding: 'utf8', env: ENV });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).topology.id).toBe('gateway-api');
  }, 180_000);
});
