/**
 * The one place awsmfa starts a child process (src/cli/processContext.ts aside: exec's
 * child and the agent). Every child gets:
 *   - an argv array, never a command line parsed by a shell, unless the
 *     caller asks for one (credential_process on Windows, see
 *     src/credentials/runProcess.ts);
 *   - its whole environment given explicitly: nothing is inherited that the
 *     caller did not put there (callers start from inheritedEnv(), which
 *     leaves out the store passphrase);
 *   - and, run to its end (runChild), a time bound, stdin either the user's
 *     terminal or a given input then closed, and output capped.
 *
 * node:child_process is loaded on first use, not at the top: it (with net
 * and dgram behind it) costs 3-10 ms of start-up that a cached
 * credential_process never uses (test/cli/hotPath.test.ts).
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { isErrno } from "./fs.ts";

export interface ChildSpec {
  /** The program (found on the env's PATH when it has no slash). */
  readonly file: string;
  readonly args: readonly string[];
  /** The child's whole environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Run `file` as a command line through the platform shell (cmd.exe on Windows). */
  readonly shell?: boolean;
}

export interface RunChildOptions extends ChildSpec {
  /** The child is killed with killSignal after this long. */
  readonly timeoutMs: number;
  /** SIGTERM lets a command clean up; SIGKILL for helpers that may hang in native code. */
  readonly killSignal: "SIGTERM" | "SIGKILL";
  /**
   * "inherit": the user's terminal (a YubiKey "touch your key" prompt, a
   * nested awsmfa MFA prompt reach the user); { input }: written to the
   * child's stdin, which is then closed (how secrets reach a tool: never argv).
   */
  readonly stdin: "inherit" | { readonly input: string };
  /** "inherit": straight to our stderr; "capture": returned. */
  readonly stderr: "inherit" | "capture";
  /** More than this many bytes on stdout (or captured stderr) stops the child. */
  readonly maxOutputBytes: number;
}

/** How a child run ended; the caller turns each into its own message. */
export type ChildOutcome =
  | {
      readonly kind: "exited";
      /** Exit code; null when killed by a signal. */
      readonly code: number | null;
      readonly stdout: string;
      /** "" unless stderr was captured. */
      readonly stderr: string;
    }
  | { readonly kind: "timed-out" }
  | { readonly kind: "too-much-output" }
  /** The program does not exist (ENOENT). */
  | { readonly kind: "not-found"; readonly error: Error }
  | { readonly kind: "start-failed"; readonly error: Error };

/** Runs a child to its end (or its bound); never rejects. */
export async function runChild(options: RunChildOptions): Promise<ChildOutcome> {
  const { spawn } = await import("node:child_process");
  return new Promise<ChildOutcome>((resolve) => {
    const child = spawn(options.file, options.args, {
      env: options.env,
      shell: options.shell === true,
      stdio: [
        options.stdin === "inherit" ? "inherit" : "pipe",
        "pipe",
        options.stderr === "inherit" ? "inherit" : "pipe",
      ],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (outcome: ChildOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      child.kill(options.killSignal);
      finish({ kind: "timed-out" });
    }, options.timeoutMs);
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxOutputBytes) {
        child.kill(options.killSignal);
        finish({ kind: "too-much-output" });
        return;
      }
      into.push(chunk);
    };
    child.stdout?.on("data", collect(out));
    child.stderr?.on("data", collect(err));
    child.on("error", (e) => {
      finish({ kind: isErrno(e, "ENOENT") ? "not-found" : "start-failed", error: e });
    });
    child.on("close", (code) => {
      finish({
        kind: "exited",
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
    if (child.stdin !== null && options.stdin !== "inherit") {
      child.stdin.on("error", () => {
        // The child exited before reading; "close" reports its status.
      });
      child.stdin.end(options.stdin.input);
    }
  });
}

/**
 * Starts a child with all three stdio piped, for a helper that serves
 * several requests over its stdin/stdout (the keyring helper). The caller
 * bounds each request and kills the child. onError gets a failure to start
 * (listened to before the child is handed back, so none is missed).
 */
export async function startChild(
  spec: ChildSpec,
  onError: (e: Error) => void,
): Promise<ChildProcessWithoutNullStreams> {
  const { spawn } = await import("node:child_process");
  const child = spawn(spec.file, spec.args, {
    env: spec.env,
    shell: spec.shell === true,
    stdio: ["pipe", "pipe", "pipe"],
    windowsHide: true,
  });
  child.on("error", onError);
  return child;
}
