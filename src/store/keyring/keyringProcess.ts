/**
 * Runs @napi-rs/keyring calls in a short-lived child process, bounded by a
 * timeout.
 *
 * Why a child process: the napi bindings connect to D-Bus synchronously on
 * the calling thread, even for the "async" variants (measured: a session
 * bus that accepts but never answers blocks the constructor of AsyncEntry,
 * and with it the whole event loop, so no timer and no AbortSignal ever
 * fires). A worker thread cannot be stopped while it is inside native code.
 * A child process can always be killed, so a hung or locked keyring gives a
 * clear error after `timeoutMs` instead of a hang.
 *
 * Values travel over the child's stdin/stdout as JSON, never in argv
 * (keyringProtocol.ts); the child is keyringHelperMain.ts.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { AwsmfaError } from "../../errors.ts";
import { inheritedEnv } from "../../platform/inheritedEnv.ts";
import { startChild } from "../../platform/runChild.ts";
import type { KeyringRequest, KeyringResult, NativeStore } from "./keyringProtocol.ts";
import { keyringFailure, keyringTimeoutError } from "./keyringErrors.ts";
import type { Env } from "../../platform/env.ts";

export interface KeyringProcessOptions {
  /** The child's whole environment (DBUS_SESSION_BUS_ADDRESS, HOME, ...). */
  readonly env: Env;
  readonly timeoutMs: number;
  /** The node binary that runs the helper (CliContext.nodePath: this process's). */
  readonly nodePath: string;
}

/**
 * The helper program, and the node flags to run it with. In the bundle it is
 * its own entry beside the chunk that holds this code (scripts/build.mjs),
 * run with no flags, as `node -e` ran it before. Run from source (the tests,
 * through tsx), it is the TypeScript module itself, and it gets this
 * process's node flags, as child_process.fork gives them: they carry the
 * loader that runs this very file.
 */
function helperArgv(): string[] {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    return [...process.execArgv, fileURLToPath(new URL("./keyringHelperMain.ts", here))];
  }
  return [fileURLToPath(new URL("./keyring-helper.cjs", here))];
}

function isRefable(h: unknown): h is { ref(): void; unref(): void } {
  return (
    typeof h === "object" &&
    h !== null &&
    "ref" in h &&
    typeof h.ref === "function" &&
    "unref" in h &&
    typeof h.unref === "function"
  );
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

function isResult(v: unknown): v is KeyringResult {
  return v === null || typeof v === "string" || typeof v === "boolean" || isStringList(v);
}

export interface KeyringHelper {
  /** Runs the ops in order; rejects with an AwsmfaError. Requests are served one at a time. */
  run(request: KeyringRequest): Promise<KeyringResult[]>;
  /** Ends the helper process (it also ends by itself when this process exits). */
  close(): void;
}

interface Pending {
  readonly store: NativeStore;
  /** The helper process serving it: a dying old helper must not fail a newer request. */
  readonly child: ChildProcessWithoutNullStreams;
  readonly resolve: (results: KeyringResult[]) => void;
  readonly reject: (e: AwsmfaError) => void;
}

/**
 * One helper process serves every call of a store instance, so a command
 * pays node's start-up once, not per item. It is started on first use and
 * does not keep this process alive while idle. A request that times out
 * kills it; the next request starts a new one.
 */
export function keyringHelper(options: KeyringProcessOptions): KeyringHelper {
  let child: ChildProcessWithoutNullStreams | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let pending: Pending | undefined;
  let stdoutBuffer = "";
  let stderrTail = "";

  const setRef = (c: ChildProcessWithoutNullStreams, on: boolean) => {
    // The pipes are net.Sockets at runtime; their types do not say so.
    for (const h of [c, c.stdin, c.stdout, c.stderr]) {
      if (!isRefable(h)) continue;
      if (on) h.ref();
      else h.unref();
    }
  };

  const fail = (c: ChildProcessWithoutNullStreams, e: AwsmfaError) => {
    const p = pending;
    if (p?.child !== c) return;
    pending = undefined;
    p.reject(e);
  };

  const start = async (store: NativeStore): Promise<ChildProcessWithoutNullStreams> => {
    const node = options.nodePath;
    const c = await startChild(
      { file: node, args: helperArgv(), env: inheritedEnv(options.env) },
      (e) => {
        if (child === c) child = undefined;
        fail(c, keyringFailure(store, `could not start ${node}: ${e.message}`));
      },
    );
    stdoutBuffer = "";
    stderrTail = "";
    c.stdout.setEncoding("utf8");
    c.stderr.setEncoding("utf8");
    c.stdout.on("data", (d: string) => {
      stdoutBuffer += d;
      const nl = stdoutBuffer.indexOf("\n");
      if (nl < 0) return;
      const line = stdoutBuffer.slice(0, nl);
      stdoutBuffer = stdoutBuffer.slice(nl + 1);
      const p = pending;
      if (p?.child !== c) return;
      pending = undefined;
      settle(p, line);
    });
    c.stderr.on("data", (d: string) => {
      stderrTail = (stderrTail + d).slice(-2000);
    });
    c.on("close", (code, signal) => {
      if (child === c) child = undefined;
      const why = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
      const detail = stderrTail.trim().split("\n").slice(-3).join(" ");
      fail(c, keyringFailure(store, `the keyring helper process ended (${why}) ${detail}`.trim()));
    });
    c.stdin.on("error", () => {
      // The child died before reading; "close" reports it.
    });
    return c;
  };

  const settle = (p: Pending, line: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      p.reject(keyringFailure(p.store, "the keyring helper process answered garbage"));
      return;
    }
    if (typeof parsed === "object" && parsed !== null) {
      if ("ok" in parsed && parsed.ok === true && "results" in parsed) {
        const results: unknown = parsed.results;
        if (Array.isArray(results) && results.every(isResult)) {
          p.resolve(results);
          return;
        }
      }
      if ("message" in parsed && typeof parsed.message === "string") {
        p.reject(keyringFailure(p.store, parsed.message));
        return;
      }
    }
    p.reject(keyringFailure(p.store, "the keyring helper process answered garbage"));
  };

  const runOne = async (request: KeyringRequest): Promise<KeyringResult[]> => {
    const c = child ?? (await start(request.store));
    child = c;
    return new Promise<KeyringResult[]>((resolve, reject) => {
      setRef(c, true);
      const timer = setTimeout(() => {
        fail(c, keyringTimeoutError(request.store, options.timeoutMs));
        if (child === c) child = undefined;
        c.kill("SIGKILL");
      }, options.timeoutMs);
      const done = () => {
        clearTimeout(timer);
        setRef(c, false);
      };
      pending = {
        store: request.store,
        child: c,
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      };
      c.stdin.write(`${JSON.stringify(request)}\n`);
    });
  };

  return {
    run(request) {
      const result = queue.then(() => runOne(request));
      queue = result.catch(() => undefined);
      return result;
    },
    close() {
      const c = child;
      child = undefined;
      c?.stdin.end();
    },
  };
}

/** One request in a helper of its own, closed afterwards. */
export async function runKeyringOps(
  request: KeyringRequest,
  options: KeyringProcessOptions,
): Promise<KeyringResult[]> {
  const helper = keyringHelper(options);
  try {
    return await helper.run(request);
  } finally {
    helper.close();
  }
}
