// edgewise benchmarks (npm run bench). Ratios are measured in one run on this machine; they are
// reported, never asserted. Sections: cli (start-up), space (whole answer space), gateway (proxies
// under load). `npm run bench -- cli space` runs only those.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function wall(args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

if (want('cli')) {
  const runs = 21;
  wall(['-e', '0'], 3); // warm the file cache
  wall(['bin/edgewise.js', 'recommend', '--json'], 3);
  const base = wall(['-e', '0'], runs);
  const rec = wall(['bin/edgewise.js', 'recommend', '--json'], runs);
  const recFile = wall(['bin/edgewise.js', 'recommend', '--json', '--answers', 'bench/answers.yaml'], runs);
  console.log(`cli: node -e 0                          ${base.toFixed(1)} ms (median of ${runs})`);
  console.log(`cli: edgewise recommend --json           ${rec.toFixed(1)} ms  ratio ${(rec / base).toFixed(2)} (goal <= 2.0)`);
  console.log(`cli: edgewise recommend --json --answers ${recFile.toFixed(1)} ms  ratio ${(recFile / base).toFixed(2)}`);
}

if (want('space')) {
  const { recommend, answerSpace, ANSWER_SPACE_SIZE } = await import('../dist/engine.js');
  // one warm-up pass over a slice, then the measured pass
  let i = 0;
  for (const a of answerSpace()) {
    if (i++ > 5000) break;
    recommend(a, undefined, { whatIf: false });
  }
  const t0 = performance.now();
  let n = 0;
  for (const a of answerSpace()) {
    recommend(a, undefined, { whatIf: false });
    n++;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`space: ${n} answer sets (of ${ANSWER_SPACE_SIZE}) in ${s.toFixed(2)} s, ${((s / n) * 1e6).toFixed(1)} µs each (goal < 2 s)`);
  const t1 = performance.now();
  let m = 0;
  for (const a of answerSpace()) {
    if (m++ % 100 !== 0) continue;
    recommend(a);
  }
  console.log(`space: with what-ifs, ${Math.ceil(m / 100)} answer sets in ${((performance.now() - t1) / 1000).toFixed(2)} s`);
}

if (want('gateway')) {
  // The gateway against nginx (a minimal config and the generated one), HAProxy, fast-gateway and
  // @fastify/http-proxy: see bench/gateway.mjs (also `node bench/gateway.mjs soak`).
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('./gateway.mjs', import.meta.url)), ...(process.env.BENCH_ROUNDS ? ['--rounds', process.env.BENCH_ROUNDS] : [])], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}
