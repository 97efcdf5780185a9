/**
 * Runs an external tool (pass, secret-tool, dbus-send, ...) and collects its
 * output, bounded in time (runChild). Secrets go to the tool on stdin
 * (`input`), never in argv, where any user on the machine could read them.
 */
import { AwsmfaError } from "../errors.ts";
import type { Env } from "./env.ts";
import { inheritedEnv } from "./inheritedEnv.ts";
import { runChild } from "./runChild.ts";

export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunToolOptions {
  /** The tool's environment (undefined values and the store passphrase are left out). */
  readonly env: Env;
  /** The tool is killed (SIGKILL) after this long. */
  readonly timeoutMs: number;
  /** What to write to the tool's stdin; it is closed after (empty by default). */
  readonly input?: string;
  /** The error when the tool did not finish in time. */
  readonly timedOut: () => AwsmfaError;
  /** The error when the tool is not installed (ENOENT). */
  readonly missing: () => AwsmfaError;
}

/** Far beyond any store listing or item; a tool printing more is broken. */
const MAX_OUTPUT_BYTES = 16 << 20;

export async function runTool(
  cmd: string,
  args: readonly string[],
  options: RunToolOptions,
): Promise<ToolRun> {
  const r = await runChild({
    file: cmd,
    args,
    env: inheritedEnv(options.env),
    timeoutMs: options.timeoutMs,
    killSignal: "SIGKILL",
    stdin: { input: options.input ?? "" },
    stderr: "capture",
    maxOutputBytes: MAX_OUTPUT_BYTES,
  });
  switch (r.kind) {
    case "exited":
      return { code: r.code, stdout: r.stdout, stderr: r.stderr };
    case "timed-out":
      throw options.timedOut();
    case "not-found":
      throw options.missing();
    case "start-failed":
      throw r.error;
    case "too-much-output":
      throw new AwsmfaError("E_PROCESS_OUTPUT", `${cmd} printed more than 16 MiB.`, {
        hint: "Run it by hand to see what it prints.",
      });
  }
}
