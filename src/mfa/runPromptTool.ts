/**
 * The real RunPromptTool: spawns the program with an argv array (no shell),
 * collects stdout (the code), and for `stdio: "terminal"` hands it our
 * terminal (/dev/tty) as stdin and stderr. With no terminal (cron, CI, a
 * detached process) a terminal program still runs, with our stderr, so
 * ykman with a credential that needs no touch keeps working there.
 */
import { closeSync, openSync } from "node:fs";
import type { StdioOptions } from "node:child_process";
import type { PromptToolResult, RunPromptTool } from "./promptDriver.ts";

/** A code is a few bytes; a program printing more than this is not answering. */
const MAX_STDOUT_BYTES = 64 * 1024;

function openTerminal(): number | undefined {
  if (process.platform === "win32") return undefined;
  try {
    return openSync("/dev/tty", "r+");
  } catch {
    return undefined;
  }
}

export const runPromptTool: RunPromptTool = async (file, args, options) => {
  // Loaded here: child_process costs start-up time a cached run never needs.
  const { spawn } = await import("node:child_process");
  const tty = options.stdio === "terminal" ? openTerminal() : undefined;
  const stdio: StdioOptions =
    options.stdio === "terminal"
      ? tty === undefined
        ? ["ignore", "pipe", "inherit"]
        : [tty, "pipe", tty]
      : ["ignore", "pipe", "ignore"];
  try {
    return await new Promise<PromptToolResult>((resolve, reject) => {
      const child = spawn(file, [...args], { env: options.env, stdio, windowsHide: true });
      const chunks: Buffer[] = [];
      let size = 0;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGTERM");
      }, options.timeoutMs);
      child.stdout?.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_STDOUT_BYTES) chunks.push(chunk);
        else child.kill("SIGTERM");
      });
      child.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout: Buffer.concat(chunks).toString("utf8"), timedOut });
      });
    });
  } finally {
    // The child has its own copy of the descriptor.
    if (tty !== undefined) closeSync(tty);
  }
};
