import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { AwsmfaError } from "../../src/errors.ts";
import { acquireLock, withLock, type LockOwner } from "../../src/platform/lock.ts";
import { fixedClock } from "../helpers/fixedClock.ts";

const root = await mkdtemp(join(tmpdir(), "awsmfa-lock-"));
after(() => rm(root, { recursive: true, force: true }));
let counter = 0;
const newPath = () => join(root, `d${counter++}`, "thing");
const fixture = fileURLToPath(new URL("./fixtures/lockCounter.ts", import.meta.url));

async function writeOwner(path: string, owner: Partial<LockOwner> | string): Promise<void> {
  const { mkdir } = await import("node:fs/promises");
  await mkdir(join(path, ".."), { recursive: true });
  const record =
    typeof owner === "string"
      ? owner
      : JSON.stringify({
          pid: process.pid,
          host: hostname(),
          nonce: "theirs",
          createdAt: Date.now(),
          ...owner,
        });
  await writeFile(`${path}.lock`, record);
}

function run(args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", fixture, ...args], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("error", reject);
    child.on("close", resolve);
  });
}

/** A pid that existed and is gone. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    child.on("error", reject);
    child.on("close", () => {
      assert.ok(child.pid !== undefined);
      resolve(child.pid);
    });
  });
}

const timeoutError = (e: unknown) => {
  assert.ok(e instanceof AwsmfaError);
  assert.equal(e.code, "E_LOCK_TIMEOUT");
  return true;
};

describe("acquireLock / withLock", () => {
  it("excludes other processes: no increment is lost across 4 processes", async () => {
    const path = newPath();
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(path, ".."), { recursive: true });
    const codes = await Promise.all([1, 2, 3, 4].map(() => run([path, "15"])));
    assert.deepEqual(codes, [0, 0, 0, 0]);
    assert.equal(await readFile(path, "utf8"), "60");
    assert.deepEqual(
      (await readdir(join(path, ".."))).filter((f) => f !== "thing"),
      [],
      "no lock or temp file is left",
    );
  });

  it("creates the lock file private, and removes it on release", async () => {
    const path = newPath();
    const lock = await acquireLock(path);
    const owner: unknown = JSON.parse(await readFile(`${path}.lock`, "utf8"));
    assert.ok(typeof owner === "object" && owner !== null && "pid" in owner);
    assert.equal(owner.pid, process.pid);
    assert.equal((await stat(`${path}.lock`)).mode & 0o077, 0);
    await lock.release();
    await assert.rejects(stat(`${path}.lock`), { code: "ENOENT" });
  });

  it("releases when the function throws", async () => {
    const path = newPath();
    await assert.rejects(
      withLock(path, () => Promise.reject(new Error("boom"))),
      /boom/,
    );
    await assert.rejects(stat(`${path}.lock`), { code: "ENOENT" });
    await (await acquireLock(path, { timeoutMs: 0 })).release();
  });

  it("waits, then times out naming the holder, and tells onWait once", async () => {
    const path = newPath();
    await writeOwner(path, { host: "elsewhere", pid: 4242 });
    const told: LockOwner[] = [];
    await assert.rejects(
      acquireLock(path, {
        timeoutMs: 50,
        holdMs: 60_000,
        what: "the thing",
        onWait: (h) => told.push(h),
      }),
      (e: unknown) => {
        timeoutError(e);
        assert.ok(e instanceof AwsmfaError);
        assert.match(e.message, /waiting for the thing, held by process 4242 on elsewhere/);
        assert.match(e.hint ?? "", /thing\.lock/);
        return true;
      },
    );
    assert.equal(told.length, 1);
    assert.equal(told[0]?.pid, 4242);
  });

  it("takes over a lock whose process on this host is gone", async () => {
    const path = newPath();
    await writeOwner(path, { pid: await deadPid() });
    const lock = await acquireLock(path, { timeoutMs: 5000 });
    await lock.release();
  });

  it("takes over a lock left by a SIGKILLed process", async () => {
    const path = newPath();
    const child = spawn(process.execPath, ["--import", "tsx", fixture, path, "0", "hold"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve) =>
      child.stdout.once("data", () => {
        resolve();
      }),
    );
    await assert.rejects(acquireLock(path, { timeoutMs: 20 }), timeoutError);
    const exited = new Promise((r) => child.on("close", r));
    child.kill("SIGKILL");
    await exited;
    await (await acquireLock(path, { timeoutMs: 5000 })).release();
  });

  it("takes over a lock older than staleMs whoever holds it, not a younger one", async () => {
    const path = newPath();
    // Real time from a made-up epoch: the wait's deadline needs time to move.
    const offset = Date.now() - 1_000_000;
    let skew = 0;
    const clock = { now: () => Date.now() - offset + skew };
    // holdMs out of the way: this is about staleMs.
    const options = { clock, staleMs: 60_000, holdMs: 3_600_000 };
    await writeOwner(path, { host: "elsewhere", createdAt: 1_000_000 });
    await assert.rejects(acquireLock(path, { ...options, timeoutMs: 20 }), timeoutError);
    skew += 60_001;
    await (await acquireLock(path, { ...options, timeoutMs: 5000 })).release();
  });

  it("takes over a lock file it cannot read as an owner record", async () => {
    const path = newPath();
    await writeOwner(path, "not json");
    await (await acquireLock(path, { timeoutMs: 5000 })).release();
  });

  it("does not remove a lock that is no longer its own", async () => {
    const path = newPath();
    const lock = await acquireLock(path);
    await writeOwner(path, { nonce: "someone else" });
    await lock.release();
    assert.match(await readFile(`${path}.lock`, "utf8"), /someone else/);
  });
});

/** This process's identity as a lock records it (Linux /proc); undefined elsewhere. */
async function procIdentity(): Promise<{ boot: string; pidns: string; start: number } | undefined> {
  try {
    const boot = (await readFile("/proc/sys/kernel/random/boot_id", "utf8")).trim();
    const pidns = await readlink("/proc/self/ns/pid");
    const stat = await readFile(`/proc/${String(process.pid)}/stat`, "utf8");
    const start = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
    return { boot, pidns, start };
  } catch {
    return undefined;
  }
}

/** A clock the test moves by hand. */
const clockAt = (ms: number) => fixedClock(ms);

describe("lock hardening (#9)", () => {
  it(
    "regression (#9 item 8): a dangling symlink at the lock path fails at once naming the path, instead of spinning forever",
    { timeout: 20_000 },
    async () => {
      const path = newPath();
      await mkdir(join(path, ".."), { recursive: true });
      await symlink(join(root, "nowhere", "at-all"), `${path}.lock`);
      await assert.rejects(acquireLock(path, { timeoutMs: 3000 }), (e: unknown) => {
        assert.ok(e instanceof AwsmfaError, String(e));
        assert.equal(e.code, "E_LOCK_NOT_A_FILE");
        assert.ok(e.message.includes(`${path}.lock`), e.message);
        assert.match(e.message, /symbolic link/);
        assert.match(e.hint ?? "", /Remove it/);
        return true;
      });
      assert.ok((await lstat(`${path}.lock`)).isSymbolicLink(), "the link is left for the user");
    },
  );

  it(
    "regression (#9 item 20): EISDIR, a directory at the lock path, gets a clear message naming the path",
    { timeout: 20_000 },
    async () => {
      const path = newPath();
      await mkdir(`${path}.lock`, { recursive: true });
      await writeFile(join(`${path}.lock`, "keep-me"), "x");
      await assert.rejects(acquireLock(path, { timeoutMs: 3000 }), (e: unknown) => {
        assert.ok(e instanceof AwsmfaError, String(e));
        assert.equal(e.code, "E_LOCK_NOT_A_FILE");
        assert.ok(e.message.includes(`${path}.lock`), e.message);
        assert.match(e.message, /a directory/);
        return true;
      });
      assert.equal(await readFile(join(`${path}.lock`, "keep-me"), "utf8"), "x", "nothing lost");
    },
  );

  it(
    "regression (#9 item 20): a FIFO at the lock path gets a clear message instead of hanging on read",
    { timeout: 20_000 },
    async () => {
      const path = newPath();
      await mkdir(join(path, ".."), { recursive: true });
      await new Promise<void>((resolve, reject) => {
        const c = spawn("mkfifo", [`${path}.lock`], { stdio: "inherit" });
        c.on("error", reject);
        c.on("close", (code) => {
          if (code === 0) resolve();
          else reject(new Error(`mkfifo exited ${String(code)}`));
        });
      });
      await assert.rejects(acquireLock(path, { timeoutMs: 3000 }), (e: unknown) => {
        assert.ok(e instanceof AwsmfaError, String(e));
        assert.equal(e.code, "E_LOCK_NOT_A_FILE");
        assert.ok(e.message.includes(`${path}.lock`), e.message);
        return true;
      });
    },
  );

  it("(#9 item 20): a garbage line in the lock file is taken over, not an unexpected error", async () => {
    const path = newPath();
    await writeOwner(path, "garbage \u0000 line\n");
    await (await acquireLock(path, { timeoutMs: 5000 })).release();
    await assert.rejects(stat(`${path}.lock`), { code: "ENOENT" });
  });

  it("regression (#9 item 9): a lock from another host older than the operation's bound is taken over at once", async () => {
    const path = newPath();
    const clock = clockAt(10_000_000);
    await writeOwner(path, { host: "a-dead-container", pid: 1, createdAt: 10_000_000 - 5_000 });
    // Waiting would time out (the clock never moves): it must be recovered at once.
    await (await acquireLock(path, { clock, holdMs: 2_000, timeoutMs: 1 })).release();
  });

  it("(#9 item 9): a lock from another host younger than its bound is left alone", async () => {
    const path = newPath();
    const clock = clockAt(10_000_000);
    await writeOwner(path, { host: "a-live-container", pid: 1, createdAt: 10_000_000 - 1_000 });
    await assert.rejects(acquireLock(path, { clock, holdMs: 2_000, timeoutMs: 0 }), timeoutError);
    assert.match(await readFile(`${path}.lock`, "utf8"), /a-live-container/);
  });

  it("(#9 item 9): the bound the holder wrote in its lock wins over the waiter's", async () => {
    const path = newPath();
    const clock = clockAt(10_000_000);
    await writeOwner(path, {
      host: "a-live-container",
      pid: 1,
      createdAt: 10_000_000 - 5_000,
      holdMs: 60_000,
    });
    await assert.rejects(acquireLock(path, { clock, holdMs: 2_000, timeoutMs: 0 }), timeoutError);
  });

  it("regression (#9 item 9): a lock whose pid now belongs to another process (reused pid) is taken over at once", async (t) => {
    const me = await procIdentity();
    if (me === undefined) {
      t.skip("SKIPPED LOUDLY: no /proc here; process start times cannot be read");
      return;
    }
    const path = newPath();
    // This very process is alive, but it is not the one that made the lock:
    // that one started at another time.
    await writeOwner(path, { ...me, start: me.start + 1, pid: process.pid, createdAt: Date.now() });
    await (await acquireLock(path, { timeoutMs: 1 })).release();
  });

  it("(#9 item 9): a live owner's lock on this machine is never taken over, whatever its age under the bound", async (t) => {
    const me = await procIdentity();
    if (me === undefined) {
      t.skip("SKIPPED LOUDLY: no /proc here; process start times cannot be read");
      return;
    }
    const path = newPath();
    await writeOwner(path, { ...me, pid: process.pid, createdAt: Date.now() - 5_000, holdMs: 1 });
    await assert.rejects(acquireLock(path, { timeoutMs: 0 }), timeoutError);
  });

  it("regression (#9 item 9): a lock from before this machine rebooted, older than its bound, is taken over at once although its pid is alive", async (t) => {
    const me = await procIdentity();
    if (me === undefined) {
      t.skip("SKIPPED LOUDLY: no /proc here; the boot id cannot be read");
      return;
    }
    const path = newPath();
    await writeOwner(path, {
      ...me,
      boot: "00000000-0000-0000-0000-000000000000",
      pid: process.pid,
      createdAt: Date.now() - 5 * 60_000,
      holdMs: 60_000,
    });
    await (await acquireLock(path, { timeoutMs: 1 })).release();
  });

  it(
    "regression (#9 item 7): a waiter is told once, after about a second, who holds the lock",
    { timeout: 20_000 },
    async () => {
      const path = newPath();
      const clock = clockAt(10_000_000);
      await writeOwner(path, { host: "elsewhere", pid: 4242, createdAt: 10_000_000 });
      const long: LockOwner[] = [];
      const told = () => long.length;
      let waiting = false;
      const got = acquireLock(path, {
        clock,
        timeoutMs: 60_000,
        holdMs: 60_000,
        onWait: () => {
          waiting = true;
        },
        onLongWait: (h) => long.push(h),
      });
      while (!waiting) await sleep(5);
      await sleep(50);
      assert.equal(told(), 0, "not told before a second has passed");
      clock.advance(1_000);
      while (told() === 0) await sleep(5);
      await sleep(50);
      assert.equal(told(), 1, "told once");
      const [holder] = long;
      assert.ok(holder !== undefined);
      assert.equal(holder.pid, 4242);
      assert.equal(holder.host, "elsewhere");
      await rm(`${path}.lock`);
      await (await got).release();
      assert.equal(told(), 1);
    },
  );
});
