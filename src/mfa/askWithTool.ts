/**
 * The part every program-backed driver shares: run it, bounded in time,
 * and turn what went wrong into one message naming the program, the device
 * and what to do. The code itself never appears in a message or a debug line.
 */
import { AwsmfaError } from "../errors.ts";
import { isErrno } from "../platform/fs.ts";
import { inheritedEnv } from "../platform/inheritedEnv.ts";
import type { MfaPromptRequest, PromptDriverDeps, PromptToolStdio } from "./promptDriver.ts";

/** A person may take a while to find a key or read a dialog. */
export const PROMPT_TOOL_TIMEOUT_MS = 120_000;

export interface ToolCall {
  /** The --prompt name. */
  readonly prompt: string;
  readonly file: string;
  readonly args: readonly string[];
  readonly stdio: PromptToolStdio;
  /** What to install when the program is missing ("YubiKey Manager (ykman)"). */
  readonly install: string;
  /** Exit code 1 means the user cancelled (a dialog's Cancel button). */
  readonly exit1IsCancel: boolean;
}

export async function askWithTool(
  deps: PromptDriverDeps,
  req: MfaPromptRequest,
  call: ToolCall,
): Promise<string> {
  const other = `or choose another prompt (--prompt terminal, or AWSMFA_PROMPT)`;
  deps.debug(`asking ${call.file} (--prompt ${call.prompt}) for the MFA code for ${req.serial}`);
  let r;
  try {
    r = await deps.runTool(call.file, call.args, {
      env: inheritedEnv(deps.env),
      stdio: call.stdio,
      timeoutMs: PROMPT_TOOL_TIMEOUT_MS,
    });
  } catch (e) {
    if (isErrno(e, "ENOENT")) {
      throw new AwsmfaError(
        "E_MFA_PROMPT_MISSING",
        `Prompt ${call.prompt}: '${call.file}' was not found on PATH, so the MFA code for ${req.serial} (profile ${req.profile}) cannot be asked for.`,
        { hint: `Install ${call.install}, ${other}.`, cause: e },
      );
    }
    throw new AwsmfaError(
      "E_MFA_PROMPT_START",
      `Prompt ${call.prompt}: '${call.file}' could not be started (${e instanceof Error ? e.message : String(e)}).`,
      { hint: `Check that ${call.file} runs by hand, ${other}.`, cause: e },
    );
  }
  if (r.timedOut) {
    throw new AwsmfaError(
      "E_MFA_PROMPT_TIMEOUT",
      `Prompt ${call.prompt}: '${call.file}' gave no MFA code for ${req.serial} within ${String(PROMPT_TOOL_TIMEOUT_MS / 1000)} s and was stopped.`,
      { hint: `Run the command again and answer sooner, ${other}.` },
    );
  }
  if (r.code === 1 && call.exit1IsCancel) {
    throw new AwsmfaError(
      "E_CANCELLED",
      `Prompt ${call.prompt}: the MFA code dialog for ${req.serial} was cancelled.`,
      { exitCode: 130, hint: "Run the command again to be asked again." },
    );
  }
  if (r.code !== 0) {
    throw new AwsmfaError(
      "E_MFA_PROMPT_FAILED",
      `Prompt ${call.prompt}: '${call.file}' failed (${r.code === null ? "killed by a signal" : `exit code ${String(r.code)}`}) while asked for the MFA code for ${req.serial} (profile ${req.profile}).`,
      { hint: `Run '${[call.file, ...call.args].join(" ")}' by hand to see why, ${other}.` },
    );
  }
  return r.stdout;
}
