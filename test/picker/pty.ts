/**
 * Runs the built awsmfa on a real pseudo-terminal (../helpers/pty_drive.py):
 * stdin and stderr are the terminal, stdout a file.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { drivePty, type PtyStep } from "../helpers/pty.ts";
import { BIN } from "../helpers/sandbox.ts";

export { hasPty, type PtyStep } from "../helpers/pty.ts";

export interface PtyResult {
  /** Everything the terminal showed (escape sequences included). */
  readonly transcript: string;
  readonly stdout: string;
  readonly status: number;
}

export async function runOnPty(
  args: readonly string[],
  env: Record<string, string>,
  steps: readonly PtyStep[],
  workDir: string,
): Promise<PtyResult> {
  const stdoutFile = join(workDir, `pty-stdout-${Math.random().toString(36).slice(2)}`);
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
