/**
 * Runs the built awsmfa on a real pseudo-terminal (python3's pty module, see
 * fixtures/pty_drive.py): stdin and stderr are the terminal, stdout a file.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BIN } from "../helpers/sandbox.ts";

const DRIVER = fileURLToPath(new URL("./fixtures/pty_drive.py", import.meta.url));

export const hasPty = spawnSync("python3", ["-c", "import pty, termios, fcntl"]).status === 0;

export interface PtyStep {
  /** Text to wait for on the terminal. */
  readonly expect: string;
  /** What to type once it appeared. */
  readonly send: string;
}

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
  const config = {
    argv: [process.execPath, BIN, ...args],
    env,
    stdout: stdoutFile,
    columns: 120,
    rows: 30,
    steps,
  };
  const out = await new Promise<string>((resolve, reject) => {
    const py = spawn("python3", [DRIVER], { stdio: ["pipe", "pipe", "inherit"] });
    let text = "";
    py.stdout.on("data", (d: Buffer) => (text += d.toString()));
    py.on("error", reject);
    py.on("close", () => {
      resolve(text);
    });
    py.stdin.end(JSON.stringify(config));
  });
  const result: unknown = JSON.parse(out);
  if (typeof result !== "object" || result === null) throw new Error(`pty driver: ${out}`);
  const get = (k: string): unknown => Reflect.get(result, k);
  const error = get("error");
  if (typeof error === "string") {
    throw new Error(`${error}; terminal showed: ${JSON.stringify(get("transcript"))}`);
  }
  return {
    transcript: String(get("transcript")),
    stdout: await readFile(stdoutFile, "utf8"),
    status: Number(get("status")),
  };
}
