/**
 * A cross-process lock on a path: `<path>.lock`, created with O_EXCL and
 * holding the owner's pid, host, a random nonce and, on Linux, which
 * machine boot, pid namespace and process start it belongs to.
 *
 * Used for every file we rewrite (config, credentials, the file store) and
 * for the session cache (one MFA prompt for N parallel credential_process
 * callers). A lock whose owner died (SIGKILL, crash) is taken over:
 * - on this machine (same host name, boot and pid namespace), when its pid
 *   no longer exists or now belongs to a process that started at another
 *   time (a reused pid);
 * - from anywhere else (a container sharing ~/.aws, a second machine on a
 *   shared home, this machine before a reboot), whose pids we cannot see,
 *   when it is older than the longest its owner holds it on purpose
 *   (`holdMs`, written in the lock);
 * - always, when it is older than `staleMs`.
 * Every wait ends at its deadline, and anything at the lock path that is not
 * a plain file (a symlink, a directory, a FIFO) stops us with a message.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { hostname } from "node:os";
import { link, open, readFile, readlink, unlink } from "node:fs/promises";
import { AwsmfaError } from "../errors.ts";
import { systemClock, type Clock } from "./clock.ts";
import { ensurePrivateDir, isErrno } from "./fs.ts";
import { dirname } from "node:path";

export interface LockOptions {
  /** How long to wait for the lock before failing. Default 60 s. */
  readonly timeoutMs?: number;
  /** A lock older than this is taken over whoever holds it. Default 10 min. */
  readonly staleMs?: number;
  /**
   * The longest an owner holds this lock on purpose (the operation's bound).
   * Written into our lock; a lock from another host older than its bound is
   * taken over. Default 60 s: the work under most locks (read, edit and
   * write a file) takes well under a second.
   */
  readonly holdMs?: number;
  /** Time for the deadline, the notice and staleness. */
  readonly clock?: Clock;
  /** Told once when we start waiting for another process. */
  readonly onWait?: (holder: LockOwner) => void;
  /** Told once when we have waited `longWaitMs` (default 1 s): the moment to tell the user. */
  readonly onLongWait?: (holder: LockOwner) => void;
  readonly longWaitMs?: number;
  /** What the lock protects, for the timeout message. */
  readonly what?: string;
}

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
  /** ms since epoch */
  readonly createdAt: number;
  /** The longest the owner means to hold it (LockOptions.holdMs). */
  readonly holdMs?: number;
  /** Linux: /proc/sys/kernel/random/boot_id when the lock was made. */
  readonly boot?: string;
  /** Linux: the owner's pid namespace (/proc/self/ns/pid), in which `pid` means something. */
  readonly pidns?: string;
  /** Linux: the owner's start time (clock ticks since boot), which tells a reused pid apart. */
  readonly start?: number;
}

export interface Lock {
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function acquireLock(path: string, options: LockOptions = {}): Promise<Lock> {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const staleMs = options.staleMs ?? 10 * 60_000;
  const holdMs = options.holdMs ?? 60_000;
  const longWaitMs = options.longWaitMs ?? 1_000;
  const lockPath = `${path}.lock`;
  await ensurePrivateDir(dirname(lockPath));
  const me = await makeOwner(clock, holdMs);
  const started = clock.now();
  const deadline = started + timeoutMs;
  let delay = 10;
  let told = false;
  let toldLong = false;
  for (;;) {
    if (await tryCreate(lockPath, me)) {
      return { release: () => releaseLock(lockPath, me.nonce) };
    }
    // undefined: it vanished between link() and the read; try again, but
    // through the deadline and a pause like every other turn of this loop.
    const holder = await readOwner(lockPath);
    if (holder !== undefined) {
      if (await isStale(holder, await here(), clock, staleMs, holdMs)) {
        if (await breakStale(lockPath, holder, clock)) continue;
      } else {
        if (!told) {
          told = true;
          options.onWait?.(holder);
        }
        if (!toldLong && clock.now() - started >= longWaitMs) {
          toldLong = true;
          options.onLongWait?.(holder);
        }
      }
    }
    if (clock.now() >= deadline) {
      const who = holder === undefined ? "" : `, held by process ${holder.pid} on ${holder.host}`;
      throw new AwsmfaError(
        "E_LOCK_TIMEOUT",
        `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${options.what ?? lockPath}${who}.`,
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
    text = await readLockFile(lockPath);
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
      // The newer fields are optional: locks of older versions lack them.
      return {
        pid: v.pid,
        host: v.host,
        nonce: v.nonce,
        createdAt: v.createdAt,
        ...("holdMs" in v && typeof v.holdMs === "number" ? { holdMs: v.holdMs } : {}),
        ...("boot" in v && typeof v.boot === "string" ? { boot: v.boot } : {}),
        ...("pidns" in v && typeof v.pidns === "string" ? { pidns: v.pidns } : {}),
        ...("start" in v && typeof v.start === "number" ? { start: v.start } : {}),
      };
    }
  } catch {
    // fall through: not ours or corrupt
  }
  // A lock file we cannot read is treated as stale from long ago, so it is
  // taken over rather than blocking forever.
  return { pid: -1, host: "", nonce: text, createdAt: 0 };
}

/**
 * The lock file's text. We only ever create plain files here; anything else
 * stops us with a message, because each would otherwise hang or spin: a
 * dangling symlink (link() says it exists, reading it says it does not), a
 * FIFO (a read blocks until someone writes), a directory (EISDIR).
 */
async function readLockFile(lockPath: string): Promise<string> {
  let fh;
  try {
    fh = await open(lockPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if (isErrno(e, "ENOENT")) throw e;
    if (isErrno(e, "ELOOP")) throw notAFile(lockPath, "a symbolic link", "rm");
    throw new AwsmfaError("E_LOCK_UNREADABLE", `Cannot read the lock file ${lockPath}.`, {
      hint: `Check that it belongs to you (awsmfa makes it 0600), or remove it if no awsmfa process is running.`,
      cause: e,
    });
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw notAFile(lockPath, "a directory", "rmdir");
    if (!st.isFile()) throw notAFile(lockPath, "a special file (not a plain file)", "rm");
    return await fh.readFile("utf8");
  } finally {
    await fh.close();
  }
}

function notAFile(lockPath: string, what: string, rm: string): AwsmfaError {
  return new AwsmfaError(
    "E_LOCK_NOT_A_FILE",
    `${lockPath} is ${what}, where awsmfa keeps a lock file it creates itself.`,
    {
      hint: `Remove it (${rm} '${lockPath}') once you know nothing needs it, and try again.`,
    },
  );
}

/** Who we are, as a lock records it. */
async function makeOwner(clock: Clock, holdMs: number): Promise<LockOwner> {
  const id = await here();
  return {
    pid: process.pid,
    host: id.host,
    nonce: randomBytes(12).toString("hex"),
    createdAt: clock.now(),
    holdMs,
    ...(id.boot === undefined ? {} : { boot: id.boot }),
    ...(id.pidns === undefined ? {} : { pidns: id.pidns }),
    ...(id.start === undefined ? {} : { start: id.start }),
  };
}

interface Here {
  readonly host: string;
  readonly boot: string | undefined;
  readonly pidns: string | undefined;
  /** This process's start time. */
  readonly start: number | undefined;
}

let herePromise: Promise<Here> | undefined;

/** This machine and process (read once; /proc is Linux's, elsewhere only the host name). */
function here(): Promise<Here> {
  herePromise ??= (async () => ({
    host: hostname(),
    boot: await readFile("/proc/sys/kernel/random/boot_id", "utf8").then(
      (t) => t.trim(),
      () => undefined,
    ),
    pidns: await readlink("/proc/self/ns/pid").catch(() => undefined),
    start: await processStart(process.pid),
  }))();
  return herePromise;
}

/** A process's start time in clock ticks since boot (/proc/PID/stat field 22), if readable. */
async function processStart(pid: number): Promise<number | undefined> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${String(pid)}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // "PID (COMM) STATE ...": COMM may hold spaces and parentheses, so count
  // from the last ")"; field 3 (STATE) is then index 0, field 22 index 19.
  const start = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  return Number.isSafeInteger(start) ? start : undefined;
}

/**
 * Whether a lock's owner is gone. In this order, because each later rule
 * needs what the earlier ones ruled out:
 */
async function isStale(
  holder: LockOwner,
  me: Here,
  clock: Clock,
  staleMs: number,
  holdMs: number,
): Promise<boolean> {
  const age = clock.now() - holder.createdAt;
  // 1. Nobody holds a lock this long on purpose, wherever they are.
  if (age > staleMs) return true;
  // 2. Not a record we wrote (garbage): no owner to wait for.
  if (holder.pid <= 0) return true;
  // 3. Another host, a container (its own pid namespace, often the same
  //    boot) or this host before a reboot: its pid means nothing here, so
  //    only its age can tell. An owner past the bound it wrote down (else
  //    ours) is gone.
  const local =
    holder.host === me.host && !differ(holder.boot, me.boot) && !differ(holder.pidns, me.pidns);
  if (!local) return age > (holder.holdMs ?? holdMs);
  // 4. This machine: gone when its pid is, or when the pid now names a
  //    process that started at another time (reused after the owner died).
  if (!processAlive(holder.pid)) return true;
  if (holder.start === undefined) return false;
  const start = await processStart(holder.pid);
  return start !== undefined && start !== holder.start;
}

/** Both known and not the same. */
function differ(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
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

/** Removes the stale lock unless someone else is doing it; true when we removed it. */
async function breakStale(lockPath: string, stale: LockOwner, clock: Clock): Promise<boolean> {
  // Breakers take turns through a second lock. Under it, a lock file that
  // still holds the stale owner's nonce can only be that stale lock: no
  // acquirer can replace it (link() fails while it exists) and no other
  // breaker runs. So a live owner's lock is never removed. (Moving it aside
  // and putting it back, as before, could fail when a third process took
  // the lock in between, leaving two owners.)
  const breaker = `${lockPath}.break`;
  const me = await makeOwner(clock, BREAKER_STALE_MS);
  if (!(await tryCreate(breaker, me))) {
    const other = await readOwner(breaker);
    if (other !== undefined && clock.now() - other.createdAt > BREAKER_STALE_MS) {
      await unlinkIfOwner(breaker, other.nonce);
    }
    return false; // the caller tries again
  }
  try {
    const current = await readOwner(lockPath);
    if (current?.nonce !== stale.nonce) return false;
    await unlink(lockPath).catch(ignoreMissing);
    return true;
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
