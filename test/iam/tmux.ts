/**
 * Runs a command in a tmux pane of its own tmux server (a private socket),
 * so a test can read the screen while the command waits (capture-pane) and
 * type into it (send-keys), as a user would. stdout and stderr go to files;
 * the pane shows only what the command writes to its terminal (/dev/tty).
 * Every wait is bounded: a command that never shows the text fails the test.
 */
import { execFile, spawnSync } from "node:child_process";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

export interface TmuxPane {
  /** The visible screen, lines right-trimmed. */
  screen(): Promise<string>;
  /** Waits (bounded) until the screen shows `text`; returns the screen. */
  waitFor(text: string, timeoutMs?: number): Promise<string>;
  /** Types text literally, then Enter unless enter is false. */
  type(text: string, enter?: boolean): Promise<void>;
  /** Sends a key by tmux name (C-c, Enter). */
  key(name: string): Promise<void>;
  /** Waits (bounded) for the command's exit; its status, stdout and stderr. */
  exit(timeoutMs?: number): Promise<{ status: number; stdout: string; stderr: string }>;
  kill(): Promise<void>;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function startInTmux(options: {
  readonly dir: string;
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  readonly columns: number;
  readonly rows: number;
}): Promise<TmuxPane> {
  const { dir } = options;
  const socket = join(dir, "tmux.sock");
  const files = {
    script: join(dir, "tmux-run.sh"),
    stdout: join(dir, "tmux-stdout"),
    stderr: join(dir, "tmux-stderr"),
    status: join(dir, "tmux-status"),
  };
  // The environment goes in a script (0700, in the test's own temp dir),
  // not in tmux's argv; the pane stays open after the command exits so the
  // last screen can still be read.
  const exports = Object.entries(options.env)
    .map(([k, v]) => `export ${k}=${quote(v)}`)
    .join("\n");
  await writeFile(
    files.script,
    `#!/bin/sh\n${exports}\n${options.argv.map(quote).join(" ")} >${quote(files.stdout)} 2>${quote(files.stderr)}\necho $? >${quote(files.status)}.tmp && mv ${quote(files.status)}.tmp ${quote(files.status)}\nexec sleep 600\n`,
  );
  await chmod(files.script, 0o700);
  const tmux = (...args: string[]) =>
    run("tmux", ["-u", "-S", socket, "-f", "/dev/null", ...args], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TERM: "xterm-256color", LANG: "C.UTF-8" },
    });
  await tmux(
    "new-session",
    "-d",
    "-x",
    String(options.columns),
    "-y",
    String(options.rows),
    files.script,
  );
  const screen = async () =>
    (await tmux("capture-pane", "-p")).stdout
      .split("\n")
      .map((l) => l.trimEnd())
      .join("\n");
  const poll = async <T>(
    what: string,
    timeoutMs: number,
    probe: () => Promise<T | undefined>,
  ): Promise<T> => {
    for (let waited = 0; ; waited += 100) {
      const got = await probe();
      if (got !== undefined) return got;
      if (waited >= timeoutMs) {
        throw new Error(
          `${what} did not happen within ${timeoutMs} ms; screen:\n${await screen()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    screen,
    waitFor: (text, timeoutMs = 60_000) =>
      poll(`screen showing ${JSON.stringify(text)}`, timeoutMs, async () => {
        const s = await screen();
        return s.includes(text) ? s : undefined;
      }),
    type: async (text, enter = true) => {
      await tmux("send-keys", "-l", "--", text);
      if (enter) await tmux("send-keys", "Enter");
    },
    key: async (name) => {
      await tmux("send-keys", name);
    },
    exit: async (timeoutMs = 60_000) => {
      const status = await poll("the command's exit", timeoutMs, async () => {
        try {
          return Number((await readFile(files.status, "utf8")).trim());
        } catch {
          return undefined;
        }
      });
      return {
        status,
        stdout: await readFile(files.stdout, "utf8"),
        stderr: await readFile(files.stderr, "utf8"),
      };
    },
    kill: async () => {
      await tmux("kill-server").catch(() => undefined);
    },
  };
}
