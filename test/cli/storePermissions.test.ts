/** The CLI refuses store and lock directories others can write to and warns about readable items (issue #9 item 15). */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";
import { ALICE } from "./helpers.ts";

let sb: Sandbox;
before(async () => {
  sb = await makeSandbox();
  await sb.writeConfig("[profile p]\nregion = eu-west-1\n");
  const r = await sb.run(["add", "p", "--env"], {
    env: { AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey },
  });
  if (r.code !== 0) throw new Error(r.stderr);
});
after(() => sb.cleanup());

const exportP = () => sb.run(["export", "p", "-n", "--format", "json"]);

test("regression (#9 item 15): a world-writable ~/.awsmfa is refused with the chmod to run", async () => {
  await chmod(sb.fileDir, 0o777);
  try {
    for (const args of [["export", "p", "-n", "--format", "json"], ["list"]]) {
      const r = await sb.run(args);
      assert.equal(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /~\/\.awsmfa is writable by group and others \(mode 0777\)/);
      assert.match(r.stderr, /hint: Run: chmod 700 ~\/\.awsmfa/);
      assert.equal(r.stdout, "");
    }
  } finally {
    await chmod(sb.fileDir, 0o700);
  }
  assert.equal((await exportP()).code, 0);
});

test("regression (#9 item 15): a lock directory others can write to is refused", async () => {
  const locks = join(sb.fileDir, "locks");
  await mkdir(locks, { recursive: true });
  await chmod(locks, 0o777);
  try {
    const r = await exportP();
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /lock directory ~\/\.awsmfa\/locks is writable/);
    assert.match(r.stderr, /hint: Run: chmod 700 ~\/\.awsmfa\/locks/);
  } finally {
    await chmod(locks, 0o700);
  }
});

test("regression (#9 item 15): items others can read are used, with one warning on stderr", async () => {
  const keys = join(sb.fileDir, "keys");
  for (const f of await readdir(keys)) await chmod(join(keys, f), 0o644);
  await chmod(join(sb.fileDir, "store.json"), 0o644);
  try {
    const r = await exportP();
    assert.equal(r.code, 0, r.stderr);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("awsmfa: warning:"));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(warnings[0] ?? "", /readable by group and others \(mode 0644\)/);
    assert.match(warnings[0] ?? "", /Run: chmod -R go-rwx ~\/\.awsmfa$/);
  } finally {
    for (const f of await readdir(keys)) await chmod(join(keys, f), 0o600);
    await chmod(join(sb.fileDir, "store.json"), 0o600);
  }
  const quiet = await exportP();
  assert.doesNotMatch(quiet.stderr, /warning/);
});
