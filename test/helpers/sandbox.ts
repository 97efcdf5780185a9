/**
 * A throw-away HOME for CLI tests: real temp directories for ~/.aws and the
 * file store, and a runner for the built bin (dist/awsmfa.cjs) with an
 * environment that points everything there and nothing at the real user.
 */
import { spawn } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const BIN = resolve(import.meta.dirname, "../../dist/awsmfa.cjs");

export interface Sandbox {
  readonly home: string;
  readonly configFile: string;
  readonly credentialsFile: string;
  readonly fileDir: string;
  /** The environment a CLI run gets (extend per call). */
  readonly env: Record<string, string>;
  writeConfig(text: string): Promise<void>;
  writeCredentials(text: string): Promise<void>;
  run(args: readonly string[], options?: RunOptions): Promise<RunResult>;
  cleanup(): Promise<void>;
}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly input?: string;
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Variables from the outer environment that tests must never inherit. */
const SCRUBBED = /^(AWS_|AWSMFA_|AWS_VAULT)/;

export async function makeSandbox(): Promise<Sandbox> {
  const home = await mkdtemp(join(tmpdir(), "awsmfa-test-"));
  await mkdir(join(home, ".aws"), { recursive: true, mode: 0o700 });
  const configFile = join(home, ".aws", "config");
  const credentialsFile = join(home, ".aws", "credentials");
  const fileDir = join(home, ".awsmfa");
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !SCRUBBED.test(k)) env[k] = v;
  }
  Object.assign(env, {
    HOME: home,
    USER: "tester",
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWSMFA_FILE_DIR: fileDir,
    AWSMFA_BACKEND: "file",
    AWSMFA_FILE_PASSPHRASE: "correct horse battery staple",
    AWS_EC2_METADATA_DISABLED: "true",
    // The unlock agent a test may start lives in its HOME (never the
    // developer's), and goes away with it: an agent exits when its socket
    // is removed, or after 30 s unused.
    AWSMFA_AGENT_SOCK: join(home, "agent", "agent.sock"),
    AWSMFA_AGENT_IDLE: "30s",
  });
  return {
    home,
    configFile,
    credentialsFile,
    fileDir,
    env,
    writeConfig: (text) => writeFile(configFile, text, { mode: 0o600 }),
    writeCredentials: (text) => writeFile(credentialsFile, text, { mode: 0o600 }),
    run: (args, options = {}) => runBin(args, { ...env, ...options.env }, options),
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}

export function runBin(
  args: readonly string[],
  env: Record<string, string | undefined>,
  options: RunOptions = {},
): Promise<RunResult> {
  const cleanEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) cleanEnv[k] = v;
  return runProcess(process.execPath, [BIN, ...args], cleanEnv, options);
}

export function runProcess(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  options: RunOptions = {},
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    // detached: a new session without a controlling terminal, so /dev/tty
    // cannot be opened and a test never blocks on a prompt meant for a person.
    const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    // A child that exits without reading its stdin closes the pipe first;
    // that EPIPE is not the test's failure.
    child.stdin.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") reject(e);
    });
    child.stdin.end(options.input ?? "");
  });
}
