/**
 * The engine's public types: what the CLI asks for, what it gets back, and
 * every side effect the engine needs, injected.
 */
import type { AwsConfig } from "../config/types.ts";
import type { Clock } from "../platform/clock.ts";
import type { SecretStore } from "../store/SecretStore.ts";
import type { StsFactory, StsTimeouts } from "../aws/StsClient.ts";
import type { TerminalPrompt } from "../mfa/mfaCodeSource.ts";
import type { MfaPromptDriver } from "../mfa/promptDriver.ts";
import type { RunProcess } from "../platform/RunProcess.ts";
import type { Env } from "../platform/env.ts";
import type { SsoDeps } from "../sso/SsoDeps.ts";

// Re-exported: plan.ts imports it from here (being edited elsewhere).
export type { Env };

export interface CredentialRequest {
  readonly profile: string;
  /** -d: the duration of the credentials handed out (the last step). */
  readonly durationSeconds?: number;
  /** -n/--no-session: never call GetSessionToken; long-term keys or roles assumed directly. */
  readonly noSession?: boolean;
  /** -t/--mfa-token: used at most once (AWS accepts a TOTP code once). */
  readonly mfaToken?: string;
  readonly region?: string;
}

export type CredentialSource =
  "stored-keys" | "static-keys" | "credential-process" | "vault" | "sso" | "session" | "role";

export interface ResolvedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Absent for long-term keys (--no-session). */
  readonly sessionToken?: string;
  readonly expiration?: Date;
  readonly region?: string;
  readonly source: CredentialSource;
}

export interface EngineDeps {
  readonly clock: Clock;
  readonly env: Env;
  readonly homedir: string;
  readonly config: AwsConfig;
  readonly store: SecretStore;
  /** Lock files for the session cache, e.g. ~/.awsmfa/locks. */
  readonly lockDir: string;
  /** One line of --debug output; callers pass only redacted text. */
  readonly debug: (message: string) => void;
  /** A problem the user should see that does not stop the command (printed as a warning). */
  readonly warn: (message: string) => void;
  readonly mfa: {
    /** Asks on the terminal (/dev/tty); throws AwsmfaError E_NO_TTY when there is none. */
    readonly prompt: TerminalPrompt;
    /** --prompt ykman|zenity|kdialog|osascript (src/mfa/promptDrivers.ts); the terminal when absent. */
    readonly driver?: MfaPromptDriver;
  };
  /** Runs credential_process and mfa_process (src/credentials/runProcess.ts processRunner in production). */
  readonly runProcess: RunProcess;
  /** src/aws/stsFactory.ts in production. */
  readonly sts: StsFactory;
  /** Bounds on every STS call's network waits. Default DEFAULT_STS_TIMEOUTS (5 s connect, 15 s in all). */
  readonly stsTimeouts?: StsTimeouts;
  /** How long to wait for another awsmfa process holding the same session lock. Default 120 s. */
  readonly lockTimeoutMs?: number;
  /**
   * Told when a network wait starts (what is being fetched); returns the
   * function that says it ended. The CLI shows a spinner on a terminal.
   */
  readonly progress?: (what: string) => () => void;
  /** Browser sign-in and HTTPS for IAM Identity Center profiles (absent: they fail with E_SSO_UNAVAILABLE). */
  readonly sso?: SsoDeps;
}
