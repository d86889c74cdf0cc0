// Reading answers: an answers file (YAML or JSON) and flags, flags winning. Every problem is one
// line naming the key and the allowed values (EwError → exit 2).
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { EwError } from '../errors.js';
import { loadYaml } from './lazy.js';
import { QUESTIONS } from '../knowledge/questions.js';
import type { Question } from '../knowledge/types.js';
import { allowedText, validateAnswers, type Answers } from '../engine/answers.js';

const MAX_FILE_BYTES = 1024 * 1024;

/** Parses YAML or JSON text strictly: unique keys, one document, aliases bounded, warnings are errors. */
export async function parseDataText(text: string, name: string): Promise<unknown> {
  const { parseDocument } = await loadYaml();
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes("\0")) throw new EwError('EW_INVALID_FILE', `${name}: not a text file (NUL byte)`);
  const isJson = extname(name).toLowerCase() === '.json';
  try {
    if (isJson) {
      // JSON.parse keeps the last of duplicate keys silently; the YAML parser (a JSON superset) refuses them.
      JSON.parse(text);
    }
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) throw problem;
    // Aliases are bounded: an alias bomb fails here instead of exhausting memory.
    return doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    if (e instanceof EwError) throw e;
    const msg = e instanceof RangeError && /call stack/i.test(e.message) ? 'nested too deeply' : e instanceof Error ? e.message : String(e);
    throw new EwError('EW_INVALID_FILE', `${name}: invalid ${isJson ? 'JSON' : 'YAML'}: ${msg.split('\n')[0]}`, { cause: e });
  }
}

export async function readDataFile(path: string): Promise<unknown> {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new EwError('EW_INVALID_FILE', `${path}: not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof EwError) throw e;
    throw new EwError('EW_INVALID_FILE', `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { cause: e });
  }
  if (size > MAX_FILE_BYTES) throw new EwError('EW_INVALID_FILE', `${path}: file too large (${size} bytes; at most ${MAX_FILE_BYTES})`);
  const buf = readFileSync(path);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch (e) {
    throw new EwError('EW_INVALID_FILE', `${path}: not UTF-8 text`, { cause: e });
  }
  return parseDataText(text, path);
}

export async function readAnswersFile(path: string): Promise<Partial<Answers>> {
  return validateAnswers(await readDataFile(path), `${path}: `);
}

/** Converts one flag's raw string to the typed value, or throws naming the flag. */
export function parseFlagValue(q: Question, raw: string): unknown {
  const fail = (): never => {
    throw new EwError('EW_INVALID_ANSWER', `${q.flag}: invalid value ${JSON.stringify(raw)}; expected ${allowedText(q)}`);
  };
  switch (q.type) {
    case 'enum':
      return raw;
    case 'list': {
      const items = raw.split(',').map((s) => s.trim());
      if (raw.trim() === '' || items.some((s) => s === '')) fail();
      return items;
    }
    case 'integer':
    case 'number': {
      if (!/^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw.trim())) fail();
      return Number(raw);
    }
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      return fail();
  }
}

/** Flags (already typed by parseFlagValue) validated with the same rules as the answers file. */
export function answersFromFlags(opts: Record<string, unknown>): Partial<Answers> {
  const raw: Record<string, unknown> = {};
  for (const q of QUESTIONS) {
    const v = opts[q.id];
    if (v !== undefined) raw[q.id] = v;
  }
  // Validate key by key so the message names the flag, not the answers key.
  for (const q of QUESTIONS) {
    if (raw[q.id] === undefined) continue;
    try {
      validateAnswers({ [q.id]: raw[q.id] });
    } catch (e) {
      if (e instanceof EwError) throw new EwError('EW_INVALID_ANSWER', e.message.replace(new RegExp(`^${q.id}:`), `${q.flag}:`));
      throw e;
    }
  }
  return validateAnswers(raw);
}

export interface AnswerSources {
  answers?: string;
  [flag: string]: unknown;
}

/** File first, then flags on top. */
export async function gatherAnswers(opts: AnswerSources): Promise<Partial<Answers>> {
  const fromFile = typeof opts.answers === 'string' ? await readAnswersFile(opts.answers) : {};
  const fromFlags = answersFromFlags(opts);
  return { ...fromFile, ...fromFlags };
}
