/**
 * The one error type awsmfa raises on purpose. Everything the user can get
 * wrong (bad config, wrong passphrase, rejected MFA code, ...) becomes an
 * AwsmfaError with a stable code, a message that says what and where
 * (profile, file:line), and a hint that says what to do next.
 *
 * Messages and hints must never contain a secret: callers pass key ids
 * through `redactKeyId` and never pass secret keys, session tokens or MFA codes.
 */
/**
 * Every error code awsmfa raises: stable, documented by their messages and
 * hints, and closed, so a typo in a code is a compile error and scripts can
 * rely on the list.
 */
export const ERROR_CODES = [
  "E_AGENT_LOST",
  "E_AGENT_START",
  "E_AGENT_UNSAFE",
  "E_AGENT_UNSUPPORTED",
  "E_BACKEND_UNAVAILABLE",
  "E_BAD_ACCESS_KEY_ID",
  "E_BAD_DURATION",
  "E_BAD_ENVIRONMENT",
  "E_BAD_MFA_CODE",
  "E_BAD_ROLE_ARN",
  "E_BAD_ROLE_SESSION_NAME",
  "E_BAD_SECRET_ACCESS_KEY",
  "E_BOOTSTRAP_CALLER",
  "E_BOOTSTRAP_CONFLICT",
  "E_CANCELLED",
  "E_CLOCK_SKEW",
  "E_CONFIG_ENCODING",
  "E_CONFIG_LINK",
  "E_CONFIG_NOT_FOUND",
  "E_CONFIG_READ",
  "E_CONFIG_REFERENCE",
  "E_CONFIG_SYNTAX",
  "E_CONFIG_VALUE",
  "E_CONFIG_WRITE",
  "E_CREDENTIAL_PROCESS_CYCLE",
  "E_CREDENTIAL_PROCESS_EXPIRED",
  "E_CREDENTIAL_PROCESS_FAILED",
  "E_CREDENTIAL_PROCESS_OUTPUT",
  "E_CREDENTIAL_VALUE",
  "E_EXEC",
  "E_FEDERATION_ENDPOINT",
  "E_FEDERATION_REFUSED",
  "E_FEDERATION_UNREACHABLE",
  "E_IAM",
  "E_IAM_BAD_ANSWER",
  "E_IAM_REFUSED",
  "E_IAM_TIMEOUT",
  "E_IAM_UNREACHABLE",
  "E_IMPORT_MALFORMED",
  "E_IMPORT_NOT_FOUND",
  "E_IMPORT_PASSPHRASE",
  "E_IMPORT_READ",
  "E_IMPORT_TIMEOUT",
  "E_IMPORT_TOOL_MISSING",
  "E_IMPORT_UNSUPPORTED",
  "E_KEYRING",
  "E_KEYRING_TIMEOUT",
  "E_KEYS_EXIST",
  "E_LOCK_NOT_A_FILE",
  "E_LOCK_TIMEOUT",
  "E_LOCK_UNREADABLE",
  "E_LOGIN_LONG_TERM",
  "E_MFA_AFTER_TEMPORARY",
  "E_MFA_ENROLL",
  "E_MFA_NO_TERMINAL",
  "E_MFA_PROCESS_FAILED",
  "E_MFA_PROMPT_FAILED",
  "E_MFA_PROMPT_MISSING",
  "E_MFA_PROMPT_START",
  "E_MFA_PROMPT_TIMEOUT",
  "E_MFA_REJECTED",
  "E_MFA_SAME_CODE",
  "E_MFA_TOKEN_UNUSED",
  "E_MFA_TOKEN_USED",
  "E_MIGRATE_BACKUP",
  "E_MIGRATE_NOT_ON_PATH",
  "E_MIGRATE_UNQUOTABLE",
  "E_MIGRATE_VERIFY",
  "E_NOT_FOUND",
  "E_NOT_SSO",
  "E_NO_BROWSER",
  "E_NO_CREDENTIALS",
  "E_NO_KEYS",
  "E_NO_PROFILE",
  "E_NO_PROFILES",
  "E_NO_STORED_KEYS",
  "E_NO_TTY",
  "E_PASS",
  "E_PASS_MISSING",
  "E_PASS_NOT_INITIALIZED",
  "E_PASS_TIMEOUT",
  "E_PROCESS_EMPTY",
  "E_PROCESS_NOT_FOUND",
  "E_PROCESS_OUTPUT",
  "E_PROCESS_START",
  "E_PROCESS_TIMEOUT",
  "E_PROFILE_CYCLE",
  "E_PROFILE_NOT_FOUND",
  "E_ROTATE_FAILED",
  "E_ROTATE_KEY_UNKNOWN",
  "E_ROTATE_NOT_STORED",
  "E_ROTATE_NO_KEYS",
  "E_ROTATE_TWO_KEYS",
  "E_ROTATE_WRONG_USER",
  "E_SERVER_EXPIRED",
  "E_SERVER_LONG_TERM",
  "E_SSO_CONFIG",
  "E_SSO_FAILED",
  "E_SSO_NO_ACCESS",
  "E_SSO_SIGN_IN_FAILED",
  "E_SSO_SIGN_IN_TIMEOUT",
  "E_SSO_TOKEN_UNREADABLE",
  "E_SSO_UNAVAILABLE",
  "E_STORED_KEYS_UNREADABLE",
  "E_STORE_PASSPHRASE",
  "E_STORE_PASSPHRASE_EMPTY",
  "E_STORE_PASSPHRASE_MISMATCH",
  "E_STORE_TAMPERED",
  "E_STORE_VERSION",
  "E_STS_ACCESS_DENIED",
  "E_STS_BAD_SIGNATURE",
  "E_STS_EXPIRED_TOKEN",
  "E_STS_FAILED",
  "E_STS_INVALID_KEYS",
  "E_STS_THROTTLED",
  "E_STS_UNREACHABLE",
  "E_STS_VALIDATION",
  "E_TEMPORARY_KEYS",
  "E_TTY",
  "E_TTY_CLOSED",
  "E_TTY_EOF",
  "E_UNSAFE_PERMISSIONS",
  "E_USAGE",
  "E_VAULT_ADDR",
  "E_VAULT_BAD_REQUEST",
  "E_VAULT_CACERT",
  "E_VAULT_DENIED",
  "E_VAULT_FAILED",
  "E_VAULT_KEY_NOT_USABLE",
  "E_VAULT_LOGIN_FAILED",
  "E_VAULT_LOGIN_INPUT",
  "E_VAULT_NOT_AWS",
  "E_VAULT_NOT_FOUND",
  "E_VAULT_NO_ADDR",
  "E_VAULT_NO_TOKEN",
  "E_VAULT_REVOKE_FAILED",
  "E_VAULT_SEALED",
  "E_VAULT_TLS",
  "E_VAULT_TOKEN_EXPIRED",
  "E_VAULT_UNAVAILABLE",
  "E_VAULT_UNREACHABLE",
  "E_VAULT_WRONG_TYPE",
  "E_WRITE_LONG_TERM",
  "E_WRITE_NOT_OURS",
  "E_WRITE_TARGET",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** true for a string that is one of awsmfa's error codes (read back from a file, say). */
export function isErrorCode(s: string): s is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(s);
}

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
