// Coded errors, mapped to exit codes in one place (Contract v1: 0 ok, 1 bug, 2 usage/invalid input,
// 3 drift, 130 cancelled).

export type ErrorCode =
  | 'EW_INVALID_ANSWER'
  | 'EW_INVALID_FILE'
  | 'EW_USAGE'
  | 'EW_NEEDS_TTY'
  | 'EW_TARGET_EXISTS'
  | 'EW_UNSAFE_PATH'
  | 'EW_INVALID_SPEC'
  | 'EW_DRIFT'
  | 'EW_CANCELLED'
  | 'EW_INTERNAL';

const EXIT: Record<ErrorCode, number> = {
  EW_INVALID_ANSWER: 2,
  EW_INVALID_FILE: 2,
  EW_USAGE: 2,
  EW_NEEDS_TTY: 2,
  EW_TARGET_EXISTS: 2,
  EW_UNSAFE_PATH: 2,
  EW_INVALID_SPEC: 2,
  EW_DRIFT: 3,
  EW_CANCELLED: 130,
  EW_INTERNAL: 1,
};

export class EwError extends Error {
  readonly code: ErrorCode;
  /** Extra lines printed after the one-line message (e.g. the list of conflicting files). */
  readonly details: readonly string[];
  constructor(code: ErrorCode, message: string, opts: { cause?: unknown; details?: readonly string[] } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'EwError';
    this.code = code;
    this.details = opts.details ?? [];
  }
  get exitCode(): number {
    return EXIT[this.code];
  }
}

export const exitCodeOf = (err: unknown): number => (err instanceof EwError ? err.exitCode : 1);
