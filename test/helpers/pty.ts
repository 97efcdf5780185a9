/**
 * Drives a command on a real pseudo-terminal through pty_drive.py (python3's
 * pty module): waits for each expected text on the terminal, then types.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const DRIVER = fileURLToPath(new URL("./pty_drive.py", import.meta.url));

/** Whether python3 with the modules the driver needs is installed. */
export const hasPty = spawnSync("python3", ["-c", "import pty, termios, fcntl"]).status === 0;

export interface PtyStep {
  /** Text to wait for on the terminal. */
  readonly expect: string;
  /** What to type once it appeared. */
  readonly send: string;
}

/** What pty_drive.py takes on stdin; see its docstring. */
export interface PtyDriveConfig {
  readonly argv: readonly string[];
  readonly steps: readonly PtyStep[];
  readonly env?: Record<string, string>;
  readonly stdin?: "tty" | "null";
  readonly stdout?: string;
  readonly stderr?: "tty" | "stdout";
  readonly columns?: number;
  readonly rows?: number;
}

export interface PtyDriveResult {
  /** Everything the terminal showed (escape sequences included). */
  readonly transcript: string;
  /** The command's exit status. */
  readonly status: number;
}

/** Runs the driver; rejects, with what the terminal showed, when a step's text never came. */
export async function drivePty(config: PtyDriveConfig): Promise<PtyDriveResult> {
  const { out, code } = await new Promise<{ out: string; code: number | null }>(
    (resolve, reject) => {
      const py = spawn("python3", [DRIVER], { stdio: ["pipe", "pipe", "inherit"] });
      let text = "";
      py.stdout.on("data", (d: Buffer) => (text += d.toString()));
      py.on("error", reject);
      py.on("close", (c) => {
        resolve({ out: text, code: c });
      });
      py.stdin.end(JSON.stringify(config));
    },
  );
  const result: unknown = JSON.parse(out);
  assert.ok(typeof result === "object" && result !== null, `pty driver: ${out}`);
  const get = (k: string): unknown => Reflect.get(result, k);
  const error = get("error");
  if (typeof error === "string") {
    throw new Error(`${error}; terminal showed: ${JSON.stringify(get("transcript"))}`);
  }
  assert.equal(code, 0, `pty driver failed: ${out}`);
  assert.ok("transcript" in result);
  return { transcript: String(get("transcript")), status: Number(get("status")) };
}
