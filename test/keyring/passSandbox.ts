/**
 * A real `pass` for tests: a temporary HOME with a throw-away GPG key (no
 * passphrase) in its own GNUPGHOME, and a password store initialised for it.
 * Used by the pass backend tests and the aws-vault pass import test.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { haveCommand } from "./helpers.ts";

/** The tools a pass sandbox needs; the missing ones, to skip loudly on. */
export const missingPassTools = (): string[] =>
  ["pass", "gpg", "gpgconf"].filter((t) => !haveCommand(t));

export interface PassSandbox {
  readonly root: string;
  /** PATH, HOME, GNUPGHOME and PASSWORD_STORE_DIR, all inside root. */
  readonly env: Record<string, string | undefined>;
  /** Runs a command in env with input on stdin; its stdout (throws on failure). */
  readonly sh: (cmd: string, args: readonly string[], input?: string) => string;
  /** Makes the GPG key and runs pass init (for before()). */
  readonly init: () => void;
  /** Stops the gpg-agent and removes root (for after()). */
  readonly cleanup: () => Promise<void>;
}

export async function makePassSandbox(name: string): Promise<PassSandbox> {
  const root = await mkdtemp(join(tmpdir(), `awsmfa-${name}-`));
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: root,
    GNUPGHOME: join(root, "g"),
    PASSWORD_STORE_DIR: join(root, "store"),
  };
  const sh = (cmd: string, args: readonly string[], input?: string) =>
    execFileSync(cmd, args, {
      env,
      input: input ?? "",
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
  return {
    root,
    env,
    sh,
    init: () => {
      execFileSync("mkdir", ["-m", "700", join(root, "g")]);
      sh("gpg", [
        "--batch",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--quick-gen-key",
        "awsmfa test <awsmfa-test@example.invalid>",
        "future-default",
        "default",
        "never",
      ]);
      sh("pass", ["init", "awsmfa-test@example.invalid"]);
    },
    cleanup: async () => {
      spawnSync("gpgconf", ["--kill", "gpg-agent"], { env });
      await rm(root, { recursive: true, force: true });
    },
  };
}
