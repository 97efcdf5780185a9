/**
 * Runs fake-aws as a child process (`tsx fake-aws/main.ts`) and waits for
 * its "listening" line. Prefer startFakeAws() in-process; this is for tests
 * that need the fake in its own process (e.g. to kill it).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface FakeAwsChild {
  url: string;
  port: number;
  process: ChildProcess;
  /** SIGTERM, then resolves with the exit code. */
  stop(): Promise<number | null>;
}

const here = dirname(fileURLToPath(import.meta.url));

export function spawnFakeAws(opts: {
  worldFile: string;
  port?: number;
  logFile?: string;
  /** Default 20 s. */
  timeoutMs?: number;
}): Promise<FakeAwsChild> {
  const tsx = join(here, "..", "node_modules", ".bin", "tsx");
  const args = [join(here, "main.ts"), "--world", opts.worldFile, "--port", String(opts.port ?? 0)];
  if (opts.logFile !== undefined) args.push("--log", opts.logFile);
  const child = spawn(tsx, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`fake-aws did not start within ${opts.timeoutMs ?? 20000} ms: ${stderr}`));
    }, opts.timeoutMs ?? 20000);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening (http:\/\/127\.0\.0\.1:(\d+))\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1] ?? "",
          port: Number(m[2]),
          process: child,
          stop: () => {
            child.kill("SIGTERM");
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`fake-aws exited (${String(code)}) before listening: ${stderr}`));
    });
  });
}
