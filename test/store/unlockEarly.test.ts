/**
 * unlockEarly (exec/export/write with the passphrase in the environment):
 * the key derivation starts when the store is opened, and the first real
 * operation reuses it: one passphrase read, one derivation, the same
 * wrong-passphrase error as without it, and nothing created on disk.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../../src/platform/clock.ts";
import { fileStore } from "../../src/store/file/fileStore.ts";
import { isAwsmfaError } from "../../src/errors.ts";

const scrypt = { N: 1024, r: 8, p: 1 };

function counting(passphrase: string) {
  let asked = 0;
  return {
    source: () => {
      asked++;
      return Promise.resolve(passphrase);
    },
    asked: () => asked,
  };
}

/** A store at dir made with passphrase "pw", holding keys item "p". */
async function seedStore(dir: string): Promise<void> {
  const store = fileStore({
    dir,
    passphrase: () => Promise.resolve("pw"),
    clock: systemClock,
    scrypt,
  });
  await store.set("keys", "p", "v");
}

/** The store as exec/export open it: unlocking as soon as it is opened. */
function earlyStore(dir: string, passphrase: () => Promise<string>) {
  return fileStore({ dir, passphrase, clock: systemClock, unlockEarly: true });
}

test("the early unlock is the only one: one passphrase read for the whole run", async () => {
  const dir = await mkdtemp(join(tmpdir(), "awsmfa-early-"));
  try {
    await seedStore(dir);
    const pass = counting("pw");
    const store = earlyStore(dir, pass.source);
    assert.equal(await store.get("keys", "p"), "v");
    await store.set("session", "s", "w");
    assert.equal(await store.get("session", "s"), "w");
    assert.equal(pass.asked(), 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a wrong passphrase found early fails the first operation as it would have", async () => {
  const dir = await mkdtemp(join(tmpdir(), "awsmfa-early-"));
  try {
    await seedStore(dir);
    const pass = counting("wrong");
    const store = earlyStore(dir, pass.source);
    await assert.rejects(
      store.get("keys", "p"),
      (e: unknown) => isAwsmfaError(e) && e.code === "E_STORE_PASSPHRASE",
    );
    await assert.rejects(
      store.get("keys", "p"),
      (e: unknown) => isAwsmfaError(e) && e.code === "E_STORE_PASSPHRASE",
    );
    assert.equal(pass.asked(), 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("no store yet: unlocking early creates nothing and asks for nothing", async () => {
  const dir = await mkdtemp(join(tmpdir(), "awsmfa-early-"));
  try {
    const pass = counting("pw");
    const store = fileStore({
      dir: join(dir, "store"),
      passphrase: pass.source,
      clock: systemClock,
      unlockEarly: true,
      scrypt,
    });
    assert.equal(await store.get("keys", "p"), undefined);
    assert.equal(pass.asked(), 0);
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
