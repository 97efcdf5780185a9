/**
 * Runs a credential_process or mfa_process command: without a shell when the
 * command line is simple words (see commandLine.ts), else through /bin/sh -c
 * (on Windows through cmd.exe, as the AWS CLI does). stdout is captured (it
 * carries the answer); stdin and stderr stay connected to ours, so a YubiKey
 * "touch your key" prompt or a nested awsmfa MFA prompt reaches the user.
 * Bounded by a timeout; nothing secret goes into argv or env.
 */
import { AwsmfaError } from "../errors.ts";
import type { RunProcess } from "../platform/RunProcess.ts";
import { runChild } from "../platform/runChild.ts";
import { splitCommandLine } from "./commandLine.ts";

/** An answer is a few hundred bytes; anything this large is not one. */
const MAX_STDOUT_BYTES = 1 << 20;

/** The runner for this platform (src/cli/engine.ts gives it CliContext.platform). */
export function processRunner(platform: NodeJS.Platform): RunProcess {
  return async (command, options) => {
    const split = splitCommandLine(command);
    const windows = platform === "win32";
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
    const r = await runChild({
      file,
      args,
      shell,
      env: options.env,
      timeoutMs: options.timeoutMs,
      killSignal: "SIGTERM",
      stdin: "inherit",
      stderr: "inherit",
      maxOutputBytes: MAX_STDOUT_BYTES,
    });
    switch (r.kind) {
      case "exited":
        return { stdout: r.stdout, code: r.code };
      case "timed-out":
        throw new AwsmfaError(
          "E_PROCESS_TIMEOUT",
          `The ${options.what} did not finish within ${Math.round(options.timeoutMs / 1000)} s and was stopped.`,
          { hint: "Run the command by hand to see where it hangs." },
        );
      case "too-much-output":
        throw new AwsmfaError("E_PROCESS_OUTPUT", `The ${options.what} printed more than 1 MiB.`, {
          hint: "It should print only the answer on stdout; send anything else to stderr.",
        });
      case "not-found":
        throw new AwsmfaError(
          "E_PROCESS_NOT_FOUND",
          `The ${options.what} could not be started: '${file}' was not found.`,
          { hint: "Check the command and that the program is on PATH.", cause: r.error },
        );
      case "start-failed":
        throw new AwsmfaError(
          "E_PROCESS_START",
          `The ${options.what} could not be started: ${r.error.message}.`,
          { hint: "Check the command and that the program is on PATH.", cause: r.error },
        );
    }
  };
}
