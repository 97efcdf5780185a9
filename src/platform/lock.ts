/**
 * A cross-process lock on a path: `<path>.lock`, created with O_EXCL and
 * holding the owner's pid, host and a random nonce.
 *
 * Used for every file we rewrite (config, credentials, the file store) and
 * for the session cache (one MFA prompt for N parallel credential_process
 * callers). A lock whose owner died (SIGKILL, crash) is taken over: on the
 * same host, when its pid no longer exists; always, when it is older than
 * `staleMs` (owners never hold a lock that long on purpose).
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { link, open, readFile, unlink } from "node:fs/promises";
import { AwsmfaError } from "../errors.ts";
import { systemClock, type Clock } from "./clock.ts";
import { ensurePrivateDir, isErrno } from "./fs.ts";
import { dirname } from "node:path";

export interface LockOptions {
  /** How long to wait for the lock before failing. Default 60 s. */
  readonly timeoutMs?: number;
  /** A lock older than this is taken over whoever holds it. Default 10 min. */
  readonly staleMs?: number;
  readonly clock?: Clock;
  /** Told once when we start waiting for another process. */
  readonly onWait?: (holder: LockOwner) => void;
  /** What the lock protects, for the timeout message. */
  readonly what?: string;
}

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
  /** ms since epoch */
  readonly createdAt: number;
}

export interface Lock {
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function acquireLock(path: string, options: LockOptions = {}): Promise<Lock> {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const staleMs = options.staleMs ?? 10 * 60_000;
  const lockPath = `${path}.lock`;
  await ensurePrivateDir(dirname(lockPath));
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    nonce: randomBytes(12).toString("hex"),
    createdAt: clock.now(),
  };
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  let told = false;
  for (;;) {
    if (await tryCreate(lockPath, me)) {
      return { release: () => releaseLock(lockPath, me.nonce) };
    }
    const holder = await readOwner(lockPath);
    if (holder === undefined) continue; // vanished or half-written: try again at once
    if (isStale(holder, clock, staleMs)) {
      await breakStale(lockPath, holder, clock);
      continue;
    }
    if (!told) {
      told = true;
      options.onWait?.(holder);
    }
    if (Date.now() >= deadline) {
      throw new AwsmfaError(
        "E_LOCK_TIMEOUT",
        `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${options.what ?? lockPath}, held by process ${holder.pid} on ${holder.host}.`,
        {
          hint: `If no awsmfa process is running, remove ${lockPath} and try again.`,
        },
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 200);
  }
}

/** Runs fn while holding the lock on path. */
export async function withLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lock = await acquireLock(path, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

async function tryCreate(lockPath: string, me: LockOwner): Promise<boolean> {
  // Write the owner record to a private temp file, then hard-link it into
  // place: link() fails with EEXIST if the lock exists, and a reader never
  // sees a half-written lock file.
  const tmp = `${lockPath}.${me.nonce}.tmp`;
  const fh = await open(tmp, "wx", 0o600);
  try {
    await fh.writeFile(JSON.stringify(me));
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, lockPath);
    return true;
  } catch (e) {
    if (isErrno(e, "EEXIST")) return false;
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  let text: string;
  try {
    text = await readFile(lockPath, "utf8");
  } catch (e) {
    if (isErrno(e, "ENOENT")) return undefined;
    throw e;
  }
  try {
    const v: unknown = JSON.parse(text);
    if (
      typeof v === "object" &&
      v !== null &&
      "pid" in v &&
      typeof v.pid === "number" &&
      "host" in v &&
      typeof v.host === "string" &&
      "nonce" in v &&
      typeof v.nonce === "string" &&
      "createdAt" in v &&
      typeof v.createdAt === "number"
    ) {
      return { pid: v.pid, host: v.host, nonce: v.nonce, createdAt: v.createdAt };
    }
  } catch {
    // fall through: not ours or corrupt
  }
  // A lock file we cannot read is treated as stale from long ago, so it is
  // taken over rather than blocking forever.
  return { pid: -1, host: "", nonce: text, createdAt: 0 };
}

function isStale(holder: LockOwner, clock: Clock, staleMs: number): boolean {
  if (clock.now() - holder.createdAt > staleMs) return true;
  if (holder.pid <= 0) return true;
  if (holder.host !== hostname()) return false;
  return !processAlive(holder.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return isErrno(e, "EPERM");
  }
}

/** A breaker lock held longer than this belongs to a process that died while breaking. */
const BREAKER_STALE_MS = 10_000;

async function breakStale(lockPath: string, stale: LockOwner, clock: Clock): Promise<void> {
  // Breakers take turns through a second lock. Under it, a lock file that
  // still holds the stale owner's nonce can only be that stale lock: no
  // acquirer can replace it (link() fails while it exists) and no other
  // breaker runs. So a live owner's lock is never removed. (Moving it aside
  // and putting it back, as before, could fail when a third process took
  // the lock in between, leaving two owners.)
  const breaker = `${lockPath}.break`;
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    nonce: randomBytes(12).toString("hex"),
    createdAt: clock.now(),
  };
  if (!(await tryCreate(breaker, me))) {
    const other = await readOwner(breaker);
    if (other !== undefined && clock.now() - other.createdAt > BREAKER_STALE_MS) {
      await unlinkIfOwner(breaker, other.nonce);
    }
    return; // the caller tries again
  }
  try {
    const current = await readOwner(lockPath);
    if (current?.nonce === stale.nonce) await unlink(lockPath).catch(ignoreMissing);
  } finally {
    await unlink(breaker).catch(ignoreMissing);
  }
}

async function unlinkIfOwner(path: string, nonce: string): Promise<void> {
  const owner = await readOwner(path);
  if (owner?.nonce === nonce) await unlink(path).catch(ignoreMissing);
}

function ignoreMissing(e: unknown): void {
  if (!isErrno(e, "ENOENT")) throw e;
}

async function releaseLock(lockPath: string, nonce: string): Promise<void> {
  const owner = await readOwner(lockPath);
  if (owner?.nonce === nonce) await unlink(lockPath).catch(() => undefined);
}
