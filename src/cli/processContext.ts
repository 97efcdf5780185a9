/**
 * The CliContext of this process: the only code that reads process.env,
 * argv-independent process facts and the real stdout/stderr. The bin
 * (bin.ts) builds it once and hands it to the fast path or the whole CLI.
 */
import type { ChildProcess } from "node:child_process";
import { homedir, tmpdir } from "node:os";
import { isatty } from "node:tty";
import { systemClock } from "../platform/clock.ts";
import type { CliContext, SpawnResult } from "./context.ts";

const FORWARDED: readonly NodeJS.Signals[] = [
  "SIGINT",
  "SIGTERM",
  "SIGHUP",
  "SIGQUIT",
  "SIGUSR1",
  "SIGUSR2",
];

async function spawnInherit(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<SpawnResult> {
  // Loaded only when a command runs: child_process (with net and dgram
  // behind it) costs 3-10 ms of start-up (measured here) that a cached
  // credential_process never uses.
  const { spawn } = await import("node:child_process");
  return new Promise((resolve, reject) => {
    // Listen before spawning: the child can print and be seen by whoever
    // signals us before spawn() returns to this code, and a SIGTERM with no
    // listener would kill us and orphan the child.
    const early: NodeJS.Signals[] = [];
    let child: ChildProcess | undefined;
    const forward = (signal: NodeJS.Signals) => {
      if (child === undefined) early.push(signal);
      else child.kill(signal);
    };
    for (const s of FORWARDED) process.on(s, forward);
    const done = () => {
      for (const s of FORWARDED) process.off(s, forward);
    };
    try {
      child = spawn(command, args, { env, stdio: "inherit" });
    } catch (e) {
      done();
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    for (const s of early) child.kill(s);
    child.once("error", (e) => {
      done();
      reject(e);
    });
    child.once("exit", (code, signal) => {
      done();
      resolve({ code, signal });
    });
  });
}

/** `awsmfa agent` in the background: its own session, no terminal, nothing inherited. */
async function spawnAgent(childEnv: Record<string, string>): Promise<void> {
  const { spawn } = await import("node:child_process");
  const script = process.argv[1];
  if (script === undefined) return;
  const child = spawn(process.execPath, [script, "agent"], {
    env: childEnv,
    detached: true,
    stdio: "ignore",
  });
  child.once("error", () => undefined);
  child.unref();
}

export function processContext(): CliContext {
  // The user's environment as it was given: commands and exec'd children see
  // this copy, not the adjustment below.
  const env = { ...process.env };
  // The AWS SDK warns on every run under Node 20 that future SDK releases will
  // need Node 22; our pinned SDK supports Node 20, and the warning would land
  // in the stderr of every tool that calls our credential_process.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

  return {
    env,
    homedir: homedir(),
    clock: systemClock,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    // isatty, not process.stdin.isTTY: that would set up a stdin stream
    // (and its pipe or socket handle) in every process that never reads it.
    interactive: isatty(0) && isatty(2),
    stderrIsTty: isatty(2),
    platform: process.platform,
    nodePath: process.execPath,
    uid: process.getuid?.(),
    spawnInherit,
    // Unix sockets and uids: not on Windows.
    ...(process.platform === "win32" || process.getuid === undefined
      ? {}
      : { agent: { uid: process.getuid(), tmpdir: tmpdir(), spawnAgent } }),
  };
}
