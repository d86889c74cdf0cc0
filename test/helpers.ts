import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { normalise, validateAnswers, type Answers } from '../src/engine/answers.js';
import { recommend } from '../src/engine/recommend.js';
import type { Recommendation } from '../src/engine/recommendation.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SHARED = fileURLToPath(new URL('../../shared/', import.meta.url));

export const fixture = <T>(name: string): T => parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;

export const answersOf = (partial: Record<string, unknown>): Answers => normalise(validateAnswers(partial)).answers;

export const rec = (partial: Record<string, unknown>, whatIf = false): Recommendation => recommend(answersOf(partial), undefined, { whatIf });

/** Every rule id mentioned by a recommendation. */
export const firedRules = (r: Recommendation): Set<string> =>
  new Set([...r.reasons.map((x) => x.rule), ...r.warnings.map((x) => x.rule), ...r.alternatives.flatMap((a) => a.rejectedBy)]);
