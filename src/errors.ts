/**
 * The one error type awsmfa raises on purpose. Everything the user can get
 * wrong (bad config, wrong passphrase, rejected MFA code, ...) becomes an
 * AwsmfaError with a stable code, a message that says what and where
 * (profile, file:line), and a hint that says what to do next.
 *
 * Messages and hints must never contain a secret: callers pass key ids
 * through `redactKeyId` and never pass secret keys, session tokens or MFA codes.
 */
export type ErrorCode = `E_${string}`;

export interface AwsmfaErrorOptions {
  /** What the user can do about it, one sentence. */
  readonly hint?: string;
  /** Process exit code; 1 unless this is a usage error (2). */
  readonly exitCode?: number;
  readonly cause?: unknown;
}

export class AwsmfaError extends Error {
  override readonly name = "AwsmfaError";
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: AwsmfaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** A usage error: bad flags or arguments. Exit code 2. */
export function usageError(message: string, hint?: string): AwsmfaError {
  return new AwsmfaError("E_USAGE", message, {
    exitCode: 2,
    hint: hint ?? "Run 'awsmfa --help' for usage.",
  });
}

export function isAwsmfaError(e: unknown): e is AwsmfaError {
  return e instanceof AwsmfaError;
}

/** How an access key id is shown anywhere: its last four characters. */
export function redactKeyId(accessKeyId: string): string {
  return `****${accessKeyId.slice(-4)}`;
}
