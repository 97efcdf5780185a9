/**
 * The pass backend for real: a throw-away GPG key in a temporary GNUPGHOME,
 * a temporary password store, the SecretStore contract suite, and the pass
 * command itself reading back what we stored.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runStoreContract } from "../helpers/storeContract.ts";
import { decodePassName, encodePassName, passStore } from "../../src/store/pass/passStore.ts";
import { makePassSandbox, missingPassTools } from "./passSandbox.ts";

void describe("pass name encoding", () => {
  it("round-trips and keeps case apart", () => {
    for (const n of [
      "prod",
      "Prod",
      "a/b",
      ".",
      "..",
      ".hidden",
      "%41",
      "日本",
      "x".repeat(500),
      "",
    ]) {
      const e = encodePassName(n);
      assert.equal(decodePassName(e), n, JSON.stringify(n));
      assert.equal(e, e.toLowerCase());
      for (const seg of e.split("/")) assert.ok(seg.length <= 200 && !seg.startsWith("."));
    }
    assert.notEqual(encodePassName("Prod"), encodePassName("prod"));
    assert.equal(decodePassName("Not-Ours"), undefined);
  });
});

const missing = missingPassTools();
if (missing.length > 0) {
  const reason = `${missing.join(", ")} not installed: apt-get install pass gnupg`;
  process.stderr.write(`\n!!! SKIPPED the pass backend tests: ${reason}\n`);
  void it("pass backend: contract suite with a throw-away GPG key", (t) => {
    t.skip(reason);
  });
} else {
  const pass = await makePassSandbox("pass");
  const { root, env, sh } = pass;
  before(pass.init);
  after(pass.cleanup);

  const make = () => Promise.resolve(passStore({ env, timeoutMs: 30_000 }));
  runStoreContract("pass (throw-away GPG key)", make, async () => {
    const store = await make();
    for (const ref of await store.list()) await store.remove(ref.kind, ref.name);
  });

  void describe("pass interop", () => {
    it("stores entries the pass command reads back", async () => {
      const store = await make();
      const value = '{"accessKeyId":"AKIAEXAMPLE00000PASS","secretAccessKey":"s/e+c=r"}';
      await store.set("keys", "Interop", value);
      assert.equal(sh("pass", ["show", "awsmfa/keys/+interop"]), value);
      assert.equal(await store.remove("keys", "Interop"), true);
    });
    it("says how to create a missing password store", async () => {
      const store = passStore({ env: { ...env, PASSWORD_STORE_DIR: join(root, "nowhere") } });
      await assert.rejects(store.set("keys", "x", "v"), {
        code: "E_PASS_NOT_INITIALIZED",
        hint: /pass init/,
      });
      assert.equal(await store.get("keys", "x"), undefined);
      assert.deepEqual(await store.list(), []);
    });
  });
}
