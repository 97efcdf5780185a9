/**
 * An MFA code source other than the terminal question: a program that
 * answers with the code (ykman reading a YubiKey, a desktop dialog). The
 * engine asks it only when neither --mfa-token nor the profile's
 * mfa_process gave the code.
 */
import type { Env } from "../platform/env.ts";

export interface MfaPromptRequest {
  /** The MFA device (mfa_serial). */
  readonly serial: string;
  /** The profile that names the device (for messages). */
  readonly profile: string;
}

export interface MfaPromptDriver {
  /** The --prompt name, for messages ("ykman"). */
  readonly name: string;
  /** The code as the program printed it (checked by the caller). */
  ask(req: MfaPromptRequest): Promise<string>;
}

/**
 * How a driver's program is connected: `terminal` gives it our terminal
 * as stdin and stderr (ykman's "Touch your YubiKey" must reach the user
 * even when a credential_process caller captures our stderr); `none`
 * gives it no stdin and collects stderr (a GUI dialog's toolkit chatter).
 */
export type PromptToolStdio = "terminal" | "none";

export interface PromptToolResult {
  /** Exit code; null when killed by a signal. */
  readonly code: number | null;
  readonly stdout: string;
  /** It ran past timeoutMs and was stopped. */
  readonly timedOut: boolean;
}

/**
 * Runs `file` with `args` (an argv array, never a shell line), bounded by
 * timeoutMs; rejects with the spawn error (ENOENT: not installed).
 */
export type RunPromptTool = (
  file: string,
  args: readonly string[],
  options: {
    readonly env: Readonly<Record<string, string>>;
    readonly stdio: PromptToolStdio;
    readonly timeoutMs: number;
  },
) => Promise<PromptToolResult>;

export interface PromptDriverDeps {
  readonly env: Env;
  readonly runTool: RunPromptTool;
  readonly debug: (message: string) => void;
}
