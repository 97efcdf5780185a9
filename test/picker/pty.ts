/**
 * Runs the built awsmfa on a real pseudo-terminal (../helpers/pty_drive.py):
 * stdin and stderr are the terminal, stdout a file.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { skipLoudly } from "../cli/helpers.ts";
import { drivePty, hasPty, type PtyStep } from "../helpers/pty.ts";
import { BIN, type Sandbox } from "../helpers/sandbox.ts";

/** True, after skipping t loudly, when python3 cannot drive a terminal here. */
export function noPty(t: { skip(message: string): void }): boolean {
  if (hasPty) return false;
  skipLoudly(t, "python3 with pty not installed: cannot drive a terminal");
  return true;
}

export interface PtyResult {
  /** Everything the terminal showed (escape sequences included). */
  readonly transcript: string;
  readonly stdout: string;
  readonly status: number;
}

/**
 * Runs awsmfa with args in sb, on a terminal, typing steps; AWS_PROFILE is
 * unset so that a command without a profile asks for one (the picker).
 */
export async function runOnPty(
  sb: Sandbox,
  args: readonly string[],
  steps: readonly PtyStep[],
): Promise<PtyResult> {
  const env = { ...sb.env };
  delete env.AWS_PROFILE;
  const stdoutFile = join(sb.home, `pty-stdout-${Math.random().toString(36).slice(2)}`);
  const { transcript, status } = await drivePty({
    argv: [process.execPath, BIN, ...args],
    env,
    stdout: stdoutFile,
    columns: 120,
    rows: 30,
    steps,
  });
  return { transcript, stdout: await readFile(stdoutFile, "utf8"), status };
}
