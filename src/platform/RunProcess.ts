/**
 * How code that needs a command's answer (a credential_process, a
 * mfa_process) runs it: injected, so the MFA code sources and the engine
 * share one runner (src/credentials/runProcess.ts) without importing each
 * other's folders.
 */
export interface RunProcessOptions {
  /** The child's whole environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** What this is, for messages: "credential_process of profile caktus (~/.aws/config:3)". */
  readonly what: string;
}

export interface RunProcessResult {
  readonly stdout: string;
  /** Exit code; null when killed by a signal. */
  readonly code: number | null;
}

export type RunProcess = (command: string, options: RunProcessOptions) => Promise<RunProcessResult>;
