import { describe, expect, it } from 'vitest';
import { answersInputSchema } from '../src/engine/answers-schema.js';
import { checkValue, DEFAULT_ANSWERS, diffFromDefaults, normalise, validateAnswers } from '../src/engine/answers.js';
import { EwError } from '../src/errors.js';
import { QUESTIONS } from '../src/knowledge/questions.js';

const bad = (raw: unknown): string => {
  try {
    validateAnswers(raw, 'f.yaml: ');
  } catch (e) {
    expect(e).toBeInstanceOf(EwError);
    expect((e as EwError).exitCode).toBe(2);
    expect((e as EwError).message).not.toContain('\n');
    return (e as EwError).message;
  }
  throw new Error(`accepted: ${JSON.stringify(raw)}`);
};

describe('answers validation', () => {
  it.each([
    [{ platform: 'gcp' }, 'platform', 'aws, self-hosted, kubernetes'],
    [{ protocols: [] }, 'protocols', 'non-empty list'],
    [{ protocols: 'http' }, 'protocols', 'http, websocket'],
    [{ auth: ['none', 'jwt'] }, 'auth', 'none alone'],
    [{ auth: ['JWT'] }, 'auth', 'jwt'],
    [{ services: 0 }, 'services', 'integer from 1 to 500'],
    [{ services: 501 }, 'services', '1 to 500'],
    [{ services: 2.5 }, 'services', 'integer'],
    [{ services: '3' }, 'services', 'integer'],
    [{ rps: 0 }, 'rps', '> 0'],
    [{ rps: -5 }, 'rps', '> 0'],
    [{ rps: Infinity }, 'rps', 'number'],
    [{ maxPayloadMb: Number.NaN }, 'maxPayloadMb', 'number'],
    [{ caching: 'yes' }, 'caching', 'true or false'],
    [{ caching: 'no' }, 'caching', 'true or false'],
    [{ bogus: 1 }, 'bogus', 'allowed keys'],
    [{ rateLimt: 'global' }, 'did you mean rateLimit', 'allowed keys'],
    [{ __proto__: { polluted: true } } as unknown, '', ''],
    [JSON.parse('{"__proto__": {"polluted": true}}'), '__proto__', 'not allowed'],
    [{ constructor: 'x' }, 'constructor', 'not allowed'],
    [[1, 2], 'mapping', ''],
    ['platform: aws', 'mapping', ''],
  ])('%j → names %s', (raw, key, allowed) => {
    if (key === '' && allowed === '') {
      // An object literal `__proto__` sets the prototype, not a key: nothing to reject, nothing polluted.
      expect(() => validateAnswers(raw)).not.toThrow();
      return;
    }
    const msg = bad(raw);
    expect(msg).toContain(key);
    expect(msg).toContain(allowed);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('normalises lists into the documented order and removes duplicates', () => {
    expect(validateAnswers({ protocols: ['grpc', 'http', 'grpc'] }).protocols).toEqual(['http', 'grpc']);
  });

  it('applies defaults and lists what was assumed', () => {
    const { answers, assumed } = normalise({ platform: 'kubernetes' });
    expect(answers.platform).toBe('kubernetes');
    expect(answers.rps).toBe(100);
    expect(assumed).not.toContain('platform');
    expect(assumed).toContain('rps');
    expect(diffFromDefaults(answers)).toEqual({ platform: 'kubernetes' });
    expect(DEFAULT_ANSWERS.protocols).toEqual(['http']);
  });

  it('the run-time validator agrees with the published zod schema', () => {
    const samples: unknown[] = [undefined, null, 0, 1, 2.5, -1, 500, 501, 1e7, 1e8, Infinity, 'aws', 'x', '', true, false, [], ['http'], ['none', 'jwt'], ['jwt', 'iam'], ['a'], {}, 'none', ['none']];
    for (const q of QUESTIONS) {
      for (const c of q.choices ?? []) samples.push(c.value, [c.value]);
      for (const v of samples) {
        if (v === undefined) continue;
        const mine = checkValue(q, v) === undefined;
        const zods = answersInputSchema.safeParse({ [q.id]: v }).success;
        expect(mine, `${q.id} = ${JSON.stringify(v)}`).toBe(zods);
      }
    }
  });
});
