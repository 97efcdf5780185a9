/**
 * What a command gets from the process, as values and callbacks. Only
 * src/cli/processContext.ts builds the real one; tests build their own.
 */
import type { Clock } from "../platform/clock.ts";
import type { BackendName } from "../store/SecretStore.ts";
import type { Env } from "../platform/env.ts";
import type { PromptName } from "../mfa/promptNames.ts";

export interface SpawnResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface CliContext {
  readonly env: Env;
  readonly homedir: string;
  readonly clock: Clock;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stdin and stderr are terminals (for prompts, spinners, the picker). */
  readonly interactive: boolean;
  /** Whether stderr is a terminal (the spinner is drawn only there). */
  readonly stderrIsTty: boolean;
  readonly platform: NodeJS.Platform;
  /** The node binary running awsmfa, for helper processes (the keyring helper). */
  readonly nodePath: string;
  /** This user's id, where the platform has one. */
  readonly uid: number | undefined;
  /** Runs a child with inherited stdio, forwarding signals; resolves when it exits. */
  readonly spawnInherit: (
    command: string,
    args: readonly string[],
    env: Record<string, string>,
  ) => Promise<SpawnResult>;
  readonly agent?: AgentHost;
}

/** What the unlock agent needs from the process (absent: no agent is used or started). */
export interface AgentHost {
  readonly uid: number;
  readonly tmpdir: string;
  /** Starts `awsmfa agent` in the background, detached, stdio closed, with this environment. */
  readonly spawnAgent: (env: Record<string, string>) => Promise<void>;
}

/** Options every command accepts (each also an environment variable). */
export interface GlobalOptions {
  readonly backend: BackendName | undefined;
  /** Said under --debug when an aws-vault backend name was translated. */
  readonly backendNote: string | undefined;
  readonly fileDir: string | undefined;
  /** How an MFA code is asked for; undefined: the terminal. */
  readonly prompt: PromptName | undefined;
  readonly debug: boolean;
}
