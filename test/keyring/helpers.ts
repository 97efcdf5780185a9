/**
 * Helpers for the keyring tests: find a tool, and run a child test file in
 * an environment the main test runner does not have (a private D-Bus
 * session with an unlocked gnome-keyring, a fresh kernel session keyring).
 */
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestContext } from "node:test";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function haveCommand(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

/** Skips loudly (t.skip + a stderr line) when a tool is missing; true when all are present. */
export function requireCommands(t: TestContext, names: readonly string[], why: string): boolean {
  const missing = names.filter((n) => !haveCommand(n));
  if (missing.length === 0) return true;
  const reason = `${missing.join(", ")} not installed: ${why}`;
  process.stderr.write(`\n!!! SKIPPED ${t.name}: ${reason}\n`);
  t.skip(reason);
  return false;
}

export interface ChildRun {
  readonly code: number | null;
  readonly output: string;
}

/** Runs argv, collecting stdout+stderr; kills it after timeoutMs (a bound, not an assertion). */
export function run(
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) throw new Error("empty argv");
    // NODE_TEST_CONTEXT would make a child `node --test` refuse to run files.
    const env = { ...(options.env ?? process.env) };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(cmd, args, {
      cwd: REPO_ROOT,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    // A child that exits without reading its stdin (keyctl) closes the
    // pipe first; that EPIPE is not the test's failure.
    child.stdin.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") reject(e);
    });
    child.stdin.end(options.input ?? "");
  });
}

/** node --test on one child file (with tsx), as argv to put after a wrapper command. */
export function nodeTestArgv(childFile: string): string[] {
  return [process.execPath, "--import", "tsx", "--test", "--test-reporter=tap", childFile];
}
