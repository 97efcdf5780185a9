import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { AwsmfaError } from "../../src/errors.ts";
import { fixedClock } from "../../src/platform/clock.ts";
import { acquireLock, withLock, type LockOwner } from "../../src/platform/lock.ts";

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
      acquireLock(path, { timeoutMs: 50, what: "the thing", onWait: (h) => told.push(h) }),
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
    const clock = fixedClock(1_000_000);
    await writeOwner(path, { host: "elsewhere", createdAt: 1_000_000 });
    await assert.rejects(
      acquireLock(path, { clock, staleMs: 60_000, timeoutMs: 20 }),
      timeoutError,
    );
    clock.advance(60_001);
    await (await acquireLock(path, { clock, staleMs: 60_000, timeoutMs: 5000 })).release();
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
