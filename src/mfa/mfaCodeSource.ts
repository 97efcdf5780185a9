/**
 * Where an MFA code comes from, in order: the `--mfa-token` given for this
 * invocation (once only: AWS accepts a TOTP code a single time), the
 * profile's `mfa_process` (its stdout, trimmed), else the --prompt driver
 * (ykman, a desktop dialog) when one was chosen, else a prompt on the
 * terminal (/dev/tty, so it works while the AWS CLI, Terraform or CDK
 * capture our stdout and stderr). A profile's mfa_process wins over the
 * global --prompt: it is the more specific setting, as in aws-vault.
 */
import { AwsmfaError, isAwsmfaError } from "../errors.ts";
import type { SourceLocation } from "../config/types.ts";
import type { RunProcess } from "../platform/RunProcess.ts";
import { inheritedEnv } from "../platform/inheritedEnv.ts";
import { checkMfaCode } from "./mfaCode.ts";
import type { Env } from "../platform/env.ts";
import type { MfaPromptDriver } from "./promptDriver.ts";

/** Asks the user on the terminal; throws AwsmfaError E_NO_TTY when there is none. */
export type TerminalPrompt = (question: string) => Promise<string>;

export interface MfaCodeRequest {
  readonly serial: string;
  /** The profile that names the device (for messages). */
  readonly profile: string;
  readonly mfaProcess?: { readonly command: string; readonly where?: SourceLocation };
}

export type MfaCodeSource = (request: MfaCodeRequest) => Promise<string>;

export interface MfaCodeSourceDeps {
  /** --mfa-token, already given for this invocation. */
  readonly token?: string;
  readonly prompt: TerminalPrompt;
  /** --prompt ykman|zenity|kdialog|osascript; the terminal question when absent. */
  readonly driver?: MfaPromptDriver;
  readonly runProcess: RunProcess;
  readonly env: Env;
  readonly debug: (message: string) => void;
}

/** How long a mfa_process may take (a security key waiting for a touch). */
const MFA_PROCESS_TIMEOUT_MS = 120_000;

export function createMfaCodeSource(deps: MfaCodeSourceDeps): MfaCodeSource {
  let tokenUsedFor: string | undefined;
  return async (req) => {
    if (deps.token !== undefined) {
      if (tokenUsedFor === undefined) {
        tokenUsedFor = req.serial;
        deps.debug(`using the MFA code from --mfa-token for ${req.serial}`);
        return checkMfaCode(deps.token, "--mfa-token");
      }
      deps.debug(
        `--mfa-token was already used for ${tokenUsedFor}; ${req.serial} needs a second code`,
      );
    }
    try {
      if (req.mfaProcess !== undefined) return await fromProcess(deps, req, req.mfaProcess);
      if (deps.driver !== undefined) {
        const answer = await deps.driver.ask({ serial: req.serial, profile: req.profile });
        return checkMfaCode(answer, `--prompt ${deps.driver.name}`);
      }
      deps.debug(`asking for the MFA code for ${req.serial} on the terminal`);
      const answer = await deps.prompt(`Enter MFA code for ${req.serial}: `);
      return checkMfaCode(answer, "the terminal");
    } catch (e) {
      if (isAwsmfaError(e) && e.code === "E_NO_TTY") {
        if (tokenUsedFor !== undefined && tokenUsedFor !== req.serial) {
          throw new AwsmfaError(
            "E_MFA_TOKEN_USED",
            `Profile ${req.profile} needs a second MFA code (for ${req.serial}) in one run, and --mfa-token was already used for ${tokenUsedFor}; a code is accepted only once.`,
            {
              hint: "Run the command again with the next code: the first session is cached now.",
              cause: e,
            },
          );
        }
        throw new AwsmfaError(
          "E_MFA_NO_TERMINAL",
          `Profile ${req.profile} needs an MFA code for ${req.serial}, and there is no terminal to ask on.`,
          {
            hint: "Pass the code with --mfa-token CODE, ask elsewhere with --prompt ykman|zenity|kdialog|osascript, or set mfa_process in the profile to a command that prints it.",
            cause: e,
          },
        );
      }
      throw e;
    }
  };
}

async function fromProcess(
  deps: MfaCodeSourceDeps,
  req: MfaCodeRequest,
  proc: { readonly command: string; readonly where?: SourceLocation },
): Promise<string> {
  const at = proc.where === undefined ? "" : ` (${proc.where.file}:${String(proc.where.line)})`;
  const what = `mfa_process of profile ${req.profile}${at}`;
  deps.debug(`running the ${what} for the code for ${req.serial}`);
  const env = inheritedEnv(deps.env);
  const r = await deps.runProcess(proc.command, { env, timeoutMs: MFA_PROCESS_TIMEOUT_MS, what });
  if (r.code !== 0) {
    throw new AwsmfaError(
      "E_MFA_PROCESS_FAILED",
      `The ${what} failed (${r.code === null ? "killed by a signal" : `exit code ${String(r.code)}`}).`,
      { hint: "Run the command by hand; it should print the 6-digit code on stdout." },
    );
  }
  return checkMfaCode(r.stdout, `the ${what}`);
}
