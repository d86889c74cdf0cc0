// Answers: validation (one clear line naming the key and the allowed values) and normalisation
// (defaults applied, lists de-duplicated and ordered). The zod schema is derived from the questions
// and published by `edgewise schema answers`.
import { EwError } from '../errors.js';
import { QUESTIONS, questionById } from '../knowledge/questions.js';
import type { Question } from '../knowledge/types.js';

export type Platform = 'aws' | 'self-hosted' | 'kubernetes';
export type Compute = 'lambda' | 'containers' | 'vms';
export type Protocol = 'http' | 'websocket' | 'grpc' | 'tcp' | 'udp';
export type ClientKind = 'public' | 'partners' | 'internal';
export type AuthKind = 'none' | 'api-key' | 'jwt' | 'iam' | 'mtls';

export interface Answers {
  platform: Platform;
  compute: Compute;
  services: number;
  instances: 'single' | 'multiple';
  protocols: Protocol[];
  clients: ClientKind[];
  auth: AuthKind[];
  rateLimit: 'none' | 'global' | 'per-client';
  quotas: boolean;
  transforms: boolean;
  caching: boolean;
  waf: boolean;
  staticIp: boolean;
  stickySessions: boolean;
  tls: 'terminate' | 'passthrough';
  rps: number;
  maxPayloadMb: number;
  maxRequestSeconds: number;
  proxy: 'auto' | 'nginx' | 'haproxy' | 'caddy' | 'traefik' | 'envoy';
}

export type AnswerKey = keyof Answers;
export const ANSWER_KEYS = QUESTIONS.map((q) => q.id) as AnswerKey[];

export const values = (q: Question): string[] => (q.choices ?? []).map((c) => c.value);

/** The allowed values of a key, as printed in error messages. */
export function allowedText(q: Question): string {
  switch (q.type) {
    case 'enum':
      return `one of ${values(q).join(', ')}`;
    case 'list':
      return `a non-empty list of ${values(q).join(', ')}${q.exclusive?.length ? ` (${q.exclusive.join(', ')} alone)` : ''}`;
    case 'boolean':
      return 'true or false';
    case 'integer':
      return `an integer from ${q.min} to ${q.max}`;
    case 'number':
      return `a number ${q.exclusiveMin ? '>' : '>='} ${q.min}${q.max !== undefined ? ` and <= ${q.max}` : ''}`;
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function findForbiddenKey(v: unknown, path: string, depth = 0): string | undefined {
  if (depth > 64) return `${path || 'document'} (nested too deeply)`;
  if (v === null || typeof v !== 'object') return undefined;
  for (const k of Object.keys(v)) {
    if (FORBIDDEN_KEYS.has(k)) return path ? `${path}.${k}` : k;
    const found = findForbiddenKey((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  const dist = (a: string, b: string): number => {
    const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = dp[0]!;
      dp[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const tmp = dp[j]!;
        dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
        prev = tmp;
      }
    }
    return dp[b.length]!;
  };
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = dist(word, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/**
 * Validates raw answers (from a file or from flags). `where` prefixes the key in messages, e.g.
 * "answers.yaml: " or "--rps: ". Throws EwError(EW_INVALID_ANSWER) with one line.
 */
export function validateAnswers(raw: unknown, where = ''): Partial<Answers> {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new EwError('EW_INVALID_ANSWER', `${where}answers must be a mapping of keys (${ANSWER_KEYS.join(', ')}) to values`);
  }
  const forbidden = findForbiddenKey(raw, '');
  if (forbidden) {
    throw new EwError('EW_INVALID_ANSWER', `${where}${forbidden}: key not allowed (allowed keys: ${ANSWER_KEYS.join(', ')})`);
  }
  for (const key of Object.keys(raw)) {
    if (!questionById(key)) {
      const hint = closest(key, ANSWER_KEYS);
      throw new EwError('EW_INVALID_ANSWER', `${where}${key}: unknown key${hint ? ` (did you mean ${hint}?)` : ''}; allowed keys: ${ANSWER_KEYS.join(', ')}`);
    }
  }
  for (const [key, got] of Object.entries(raw)) {
    const q = questionById(key)!;
    const problem = checkValue(q, got);
    if (problem !== undefined) throw new EwError('EW_INVALID_ANSWER', `${where}${key}: ${describeValue(got, problem)}; expected ${allowedText(q)}`);
  }
  return dedupeLists({ ...(raw as Partial<Answers>) });
}

/**
 * Checks one value against its question. Returns undefined when valid, otherwise the index of the
 * offending list item or -1. (Hand-written rather than zod at run time: `recommend` must start fast;
 * test/answers-schema.test.ts checks it agrees with the published zod schema.)
 */
export function checkValue(q: Question, v: unknown): number | undefined {
  switch (q.type) {
    case 'enum':
      return typeof v === 'string' && values(q).includes(v) ? undefined : -1;
    case 'list': {
      if (!Array.isArray(v) || v.length === 0) return -1;
      const bad = v.findIndex((x) => typeof x !== 'string' || !values(q).includes(x));
      if (bad >= 0) return bad;
      const excl = q.exclusive ?? [];
      return v.some((x) => excl.includes(x as string)) && new Set(v).size > 1 ? -1 : undefined;
    }
    case 'boolean':
      return typeof v === 'boolean' ? undefined : -1;
    case 'integer':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return -1;
      if (q.type === 'integer' && !Number.isInteger(v)) return -1;
      const min = q.min ?? 0;
      if (q.exclusiveMin ? v <= min : v < min) return -1;
      return q.max !== undefined && v > q.max ? -1 : undefined;
    }
  }
}

function describeValue(got: unknown, index: number): string {
  if (index >= 0 && Array.isArray(got)) return `invalid value ${JSON.stringify(got[index])}`;
  if (Array.isArray(got)) return got.length === 0 ? 'empty list' : `invalid list ${JSON.stringify(got)}`;
  if (typeof got === 'number' && !Number.isFinite(got)) return `invalid value ${String(got)}`;
  const text = JSON.stringify(got);
  return `invalid value ${text === undefined ? String(got) : text.length > 60 ? text.slice(0, 57) + '...' : text}`;
}

function dedupeLists(a: Partial<Answers>): Partial<Answers> {
  const out: Partial<Answers> = { ...a };
  for (const q of QUESTIONS) {
    if (q.type !== 'list') continue;
    const v = out[q.id as AnswerKey];
    if (Array.isArray(v)) {
      // Keep the documented order of choices so equal sets give equal output.
      const order = values(q);
      (out as Record<string, unknown>)[q.id] = [...new Set(v as string[])].sort((x, y) => order.indexOf(x) - order.indexOf(y));
    }
  }
  return out;
}

export const DEFAULT_ANSWERS: Answers = Object.fromEntries(
  QUESTIONS.map((q) => [q.id, Array.isArray(q.default) ? [...(q.default as string[])] : q.default]),
) as unknown as Answers;

export interface Normalised {
  answers: Answers;
  /** Keys that took their default because nothing gave them. */
  assumed: AnswerKey[];
}

/** Applies defaults (after validation). Pure. */
export function normalise(given: Partial<Answers>): Normalised {
  const answers = { ...DEFAULT_ANSWERS } as Answers;
  const assumed: AnswerKey[] = [];
  for (const key of ANSWER_KEYS) {
    const v = given[key];
    if (v === undefined) {
      assumed.push(key);
      const d = DEFAULT_ANSWERS[key];
      (answers as unknown as Record<string, unknown>)[key] = Array.isArray(d) ? [...d] : d;
    } else {
      (answers as unknown as Record<string, unknown>)[key] = Array.isArray(v) ? [...v] : v;
    }
  }
  return { answers, assumed };
}

/** Only the answers that differ from the defaults (what the wizard saves). */
export function diffFromDefaults(a: Answers): Partial<Answers> {
  const out: Record<string, unknown> = {};
  for (const key of ANSWER_KEYS) {
    if (JSON.stringify(a[key]) !== JSON.stringify(DEFAULT_ANSWERS[key])) out[key] = a[key];
  }
  return out as Partial<Answers>;
}
