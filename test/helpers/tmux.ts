/**
 * Runs a command in a tmux pane on a private tmux server and reads the pane
 * as a person would see it (capture-pane), for tests about what stays on the
 * screen while a prompt waits, not just which bytes were written.
 */
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Whether tmux is installed. */
export const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

export interface TmuxPane {
  /** The pane's visible text now, one string (lines joined with "\n", trailing blanks trimmed). */
  screen(): Promise<string>;
  /** Polls the screen until test(screen) holds; fails with the last screen after timeoutMs (a hang guard, not a timing check). */
  waitFor(what: string, test: (screen: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Types text literally, then Enter. */
  type(text: string): Promise<void>;
  /** Types text literally, without Enter (a "\t" in it is the Tab key). */
  typeRaw(text: string): Promise<void>;
  /** Ends the tmux server and everything in it. */
  kill(): Promise<void>;
}

function tmux(socket: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("tmux", ["-S", socket, "-f", "/dev/null", ...args], (e, stdout, stderr) => {
      if (e) reject(new Error(`tmux ${args.join(" ")}: ${e.message} ${stderr}`));
      else resolve(stdout);
    });
  });
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * Starts argv in a new pane (columns x rows) with exactly env, from a script
 * in dir (the environment is not put on tmux's command line). When the
 * command ends the pane shows "[exit N]" and stays open until kill().
 */
export async function startInTmux(
  dir: string,
  argv: readonly string[],
  env: Record<string, string>,
  size: { columns: number; rows: number } = { columns: 120, rows: 30 },
): Promise<TmuxPane> {
  const script = join(dir, `tmux-run-${Math.random().toString(36).slice(2)}.sh`);
  const assignments = Object.entries(env)
    .filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
    .map(([k, v]) => `${k}=${quote(v)}`);
  // env -i: the pane gets env and nothing from the tmux server's environment.
  const run = ["env", "-i", ...assignments, ...argv.map(quote)].join(" ");
  await writeFile(script, [run, 'echo "[exit $?]"', "exec sleep 600", ""].join("\n"), {
    mode: 0o700,
  });
  const socket = join(dir, `tmux-${Math.random().toString(36).slice(2)}.sock`);
  await tmux(socket, [
    "new-session",
    "-d",
    "-x",
    String(size.columns),
    "-y",
    String(size.rows),
    `/bin/sh ${quote(script)}`,
  ]);
  const screen = async () =>
    (await tmux(socket, ["capture-pane", "-p", "-t", "0"]))
      .split("\n")
      .map((l) => l.trimEnd())
      .join("\n")
      .trimEnd();
  return {
    screen,
    async waitFor(what, test, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const last = await screen();
        if (test(last)) return last;
        if (Date.now() > deadline) {
          assert.fail(`never saw ${what} on the terminal; it showed:\n${last}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async type(text) {
      await tmux(socket, ["send-keys", "-t", "0", "-l", text]);
      await tmux(socket, ["send-keys", "-t", "0", "Enter"]);
    },
    async typeRaw(text) {
      await tmux(socket, ["send-keys", "-t", "0", "-l", text]);
    },
    async kill() {
      await tmux(socket, ["kill-server"]).catch(() => undefined);
    },
  };
}
