/** Store permissions, checked as ssh checks ~/.ssh (issue #9 item 15). */
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { systemClock } from "../../src/platform/clock.ts";
import type { ScryptParams } from "../../src/store/file/crypto.ts";
import { fileStore } from "../../src/store/file/fileStore.ts";
import { checkedLockDir } from "../../src/store/lockDir.ts";

const FAST: ScryptParams = { N: 1024, r: 8, p: 1 };
const root = await mkdtemp(join(tmpdir(), "awsmfa-perms-"));
after(() => rm(root, { recursive: true, force: true }));
let counter = 0;

function open(dir: string, warnings: string[] = []) {
  return fileStore({
    dir,
    passphrase: () => Promise.resolve("correct horse"),
    clock: systemClock,
    scrypt: FAST,
    displayDir: "~/.awsmfa",
    warn: (m) => warnings.push(m),
  });
}

async function storeWithItem(): Promise<string> {
  const dir = join(root, `s${counter++}`);
  await open(dir).set("keys", "p", "secret value");
  return dir;
}

function unsafe(mode: string, shown: string, chmod: string) {
  return (e: Error & { code?: string; hint?: string }) => {
    assert.equal(e.code, "E_UNSAFE_PERMISSIONS");
    assert.match(e.message, new RegExp(`directory ${shown} is writable by .*\\(mode ${mode}\\)`));
    assert.equal(e.hint, `Run: ${chmod}`);
    return true;
  };
}

test("regression (#9 item 15): a store directory others can write to is refused, saying the chmod to run", async () => {
  const dir = await storeWithItem();
  await chmod(dir, 0o777);
  const store = open(dir);
  const refused = unsafe("0777", "~/\\.awsmfa", "chmod 700 ~/.awsmfa");
  await assert.rejects(store.get("keys", "p"), refused);
  await assert.rejects(store.list("keys"), refused);
  await assert.rejects(store.set("keys", "q", "v"), refused);
  await assert.rejects(store.remove("keys", "p"), refused);
  assert.deepEqual((await readdir(join(dir, "keys"))).length, 1, "nothing written or removed");

  await chmod(dir, 0o770);
  await assert.rejects(open(dir).get("keys", "p"), /writable by its group \(mode 0770\)/);
  await chmod(dir, 0o700);
  await chmod(join(dir, "keys"), 0o703);
  await assert.rejects(
    open(dir).get("keys", "p"),
    unsafe("0703", "~/\\.awsmfa/keys", "chmod 700 ~/.awsmfa/keys"),
  );
  await chmod(join(dir, "keys"), 0o700);
  assert.equal(await open(dir).get("keys", "p"), "secret value", "0700 is used");
  await chmod(dir, 0o755);
  assert.equal(await open(dir).get("keys", "p"), "secret value", "readable is not refused");
});

test("regression (#9 item 15): store files others can read are used, with one warning per store", async () => {
  const dir = await storeWithItem();
  await open(dir).set("keys", "q", "other value");
  for (const f of await readdir(join(dir, "keys"))) await chmod(join(dir, "keys", f), 0o666);
  await chmod(join(dir, "store.json"), 0o644);
  const warnings: string[] = [];
  const store = open(dir, warnings);
  assert.equal(await store.get("keys", "p"), "secret value");
  assert.equal(await store.get("keys", "q"), "other value");
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(
    warnings[0] ?? "",
    /^~\/\.awsmfa\/keys\/\S+\.json is readable or writable by group and others \(mode 0666\).*Run: chmod -R go-rwx ~\/\.awsmfa$/,
  );
  assert.doesNotMatch(warnings[0] ?? "", /secret value|other value/);

  const quiet: string[] = [];
  for (const f of await readdir(join(dir, "keys"))) await chmod(join(dir, "keys", f), 0o600);
  await chmod(join(dir, "store.json"), 0o600);
  assert.equal(await open(dir, quiet).get("keys", "p"), "secret value");
  assert.deepEqual(quiet, [], "0600 files: no warning");
});

test("regression (#9 item 15): a lock directory others can write to is refused before any lock is taken", async () => {
  const home = join(root, `h${counter++}`);
  const ctx = { env: {}, homedir: home };
  assert.equal(await checkedLockDir(ctx), join(home, ".awsmfa", "locks"), "missing dirs pass");
  await mkdir(join(home, ".awsmfa", "locks"), { recursive: true, mode: 0o700 });
  await chmod(join(home, ".awsmfa", "locks"), 0o777);
  await assert.rejects(
    checkedLockDir(ctx),
    unsafe("0777", "~/\\.awsmfa/locks", "chmod 700 ~/.awsmfa/locks"),
  );
  await chmod(join(home, ".awsmfa", "locks"), 0o700);
  await chmod(join(home, ".awsmfa"), 0o775);
  await assert.rejects(checkedLockDir(ctx), unsafe("0775", "~/\\.awsmfa", "chmod 700 ~/.awsmfa"));
  await chmod(join(home, ".awsmfa"), 0o700);
  const odd = { env: { AWSMFA_FILE_DIR: join(root, "it's here") }, homedir: home };
  await mkdir(join(root, "it's here"), { mode: 0o777 });
  await chmod(join(root, "it's here"), 0o777);
  await assert.rejects(checkedLockDir(odd), (e: Error & { hint?: string }) => {
    assert.equal(e.hint, `Run: chmod 700 '${join(root, "it'\\''s here")}'`);
    return true;
  });
});
