/**
 * Runs a credential_process or mfa_process command: without a shell when the
 * command line is simple words (see commandLine.ts), else through /bin/sh -c.
 * stdout is captured (it carries the answer); stdin and stderr stay connected
 * to ours, so a YubiKey "touch your key" prompt or a nested awsmfa MFA prompt
 * reaches the user. Bounded by a timeout; nothing secret goes into argv or env.
 */
import { AwsmfaError } from "../errors.ts";
import { isErrno } from "../platform/fs.ts";
import type { RunProcess, RunProcessResult } from "../platform/RunProcess.ts";
import { splitCommandLine } from "./commandLine.ts";

/** An answer is a few hundred bytes; anything this large is not one. */
const MAX_STDOUT_BYTES = 1 << 20;

export const runProcess: RunProcess = async (command, options) => {
  const split = splitCommandLine(command);
  const windows = process.platform === "win32";
  const [file, args, shell]: [string, readonly string[], boolean] =
    split.kind === "argv" && !windows
      ? [split.argv[0] ?? "", split.argv.slice(1), false]
      : windows
        ? [command, [], true]
        : ["/bin/sh", ["-c", command], false];
  if (file === "") {
    throw new AwsmfaError("E_PROCESS_EMPTY", `The ${options.what} is empty.`, {
      hint: "Write the command to run after the '=' in the config file.",
    });
  }
  // Loaded here, not at the top: child_process (with net and dgram behind
  // it) costs 3-10 ms of start-up (measured here) that a cached
  // credential_process never uses.
  const { spawn } = await import("node:child_process");
  return new Promise<RunProcessResult>((resolve, reject) => {
    const child = spawn(file, args, {
      env: options.env,
      shell,
      stdio: ["inherit", "pipe", "inherit"],
      windowsHide: true,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      finish(() => {
        reject(
          new AwsmfaError(
            "E_PROCESS_TIMEOUT",
            `The ${options.what} did not finish within ${Math.round(options.timeoutMs / 1000)} s and was stopped.`,
            { hint: "Run the command by hand to see where it hangs." },
          ),
        );
      });
    }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_STDOUT_BYTES) {
        child.kill("SIGTERM");
        finish(() => {
          reject(
            new AwsmfaError("E_PROCESS_OUTPUT", `The ${options.what} printed more than 1 MiB.`, {
              hint: "It should print only the answer on stdout; send anything else to stderr.",
            }),
          );
        });
        return;
      }
      chunks.push(chunk);
    });
    child.on("error", (e) => {
      finish(() => {
        reject(
          new AwsmfaError(
            isErrno(e, "ENOENT") ? "E_PROCESS_NOT_FOUND" : "E_PROCESS_START",
            isErrno(e, "ENOENT")
              ? `The ${options.what} could not be started: '${file}' was not found.`
              : `The ${options.what} could not be started: ${e.message}.`,
            { hint: "Check the command and that the program is on PATH.", cause: e },
          ),
        );
      });
    });
    child.on("close", (code) => {
      finish(() => {
        resolve({ stdout: Buffer.concat(chunks).toString("utf8"), code });
      });
    });
  });
};
