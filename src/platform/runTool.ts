/**
 * Runs an external tool (pass, secret-tool, dbus-send, ...) and collects its
 * output, bounded in time. Secrets go to the tool on stdin (`input`), never
 * in argv, where any user on the machine could read them.
 */
import { spawn } from "node:child_process";
import type { AwsmfaError } from "../errors.ts";
import { isErrno } from "./fs.ts";
import type { Env } from "./env.ts";
import { inheritedEnv } from "./inheritedEnv.ts";

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

export function runTool(
  cmd: string,
  args: readonly string[],
  options: RunToolOptions,
): Promise<ToolRun> {
  const env = inheritedEnv(options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d: string) => (stdout += d));
    child.stderr.on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(options.timedOut());
    }, options.timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(isErrno(e, "ENOENT") ? options.missing() : e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on("error", () => {
      // The tool exited before reading; "close" reports its status.
    });
    child.stdin.end(options.input ?? "");
  });
}
