/**
 * The behaviour every SecretStore backend must have, as a reusable node:test
 * suite. A backend's test file calls it once:
 *
 *   runStoreContract("file", () => Promise.resolve(fileStore({ dir, ... })), () => rm(dir));
 *
 * `makeStore()` returns a NEW store instance over the backend's backing
 * (directory, keyring service, pass prefix); a test may call it twice to
 * check that two instances see each other's writes. `cleanup()` runs after
 * each test and must leave the backing empty: every test starts by checking
 * that it is (a leftover would make the list() assertions meaningless).
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { ItemKind, ItemRef, SecretStore } from "../../src/store/SecretStore.ts";

/** Names a backend must store losslessly and keep apart. */
export const ODD_NAMES: readonly string[] = [
  "with space",
  "slash/in/name",
  "back\\slash",
  "colon:name",
  "arn:aws:iam::123456789012:mfa/jane.doe@example.com",
  "ünïcödé-日本語-🙂",
  "Prod", // distinct from "prod" even on case-insensitive filesystems
  "prod",
  ".",
  "..",
  "-leading-dash",
  "%41", // not "A" in disguise
  "A",
  "CON",
  "quote'\"and$dollar`tick",
  "tab\tand\nnewline",
  // A long session cache key (source profile, device, role chain).
  `session:${"role/".repeat(50)}end`,
];

function sortRefs(refs: readonly ItemRef[]): ItemRef[] {
  return [...refs].sort((a, b) =>
    a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind < b.kind ? -1 : 1,
  );
}

export function runStoreContract(
  name: string,
  makeStore: () => Promise<SecretStore>,
  cleanup?: () => Promise<void>,
): void {
  async function fresh(): Promise<SecretStore> {
    const store = await makeStore();
    assert.deepEqual(
      await store.list(),
      [],
      `the ${name} backing must be empty when a test starts`,
    );
    return store;
  }

  void describe(`SecretStore contract: ${name}`, () => {
    if (cleanup !== undefined) afterEach(cleanup);

    void it("returns undefined for a missing item and false when removing one", async () => {
      const store = await fresh();
      assert.equal(await store.get("keys", "nobody"), undefined);
      assert.equal(await store.get("session", "nobody"), undefined);
      assert.equal(await store.remove("keys", "nobody"), false);
      assert.deepEqual(await store.list("keys"), []);
    });

    void it("gets what was set, and keeps the two kinds apart", async () => {
      const store = await fresh();
      await store.set("keys", "dev", '{"accessKeyId":"AKIAEXAMPLEDEV0001"}');
      assert.equal(await store.get("keys", "dev"), '{"accessKeyId":"AKIAEXAMPLEDEV0001"}');
      assert.equal(await store.get("session", "dev"), undefined);
      await store.set("session", "dev", "session value");
      assert.equal(await store.get("keys", "dev"), '{"accessKeyId":"AKIAEXAMPLEDEV0001"}');
      assert.equal(await store.get("session", "dev"), "session value");
    });

    void it("overwrites an existing item", async () => {
      const store = await fresh();
      await store.set("keys", "dev", "first");
      await store.set("keys", "dev", "second, longer than the first");
      await store.set("keys", "dev", "third");
      assert.equal(await store.get("keys", "dev"), "third");
      assert.deepEqual(await store.list(), [{ kind: "keys", name: "dev" }]);
    });

    void it("removes an item once: true, then false", async () => {
      const store = await fresh();
      await store.set("keys", "dev", "v");
      await store.set("session", "dev", "s");
      assert.equal(await store.remove("keys", "dev"), true);
      assert.equal(await store.get("keys", "dev"), undefined);
      assert.equal(await store.remove("keys", "dev"), false);
      assert.equal(await store.get("session", "dev"), "s", "removing keys leaves the session");
    });

    void it("lists every item, or those of one kind", async () => {
      const store = await fresh();
      await store.set("keys", "b", "1");
      await store.set("keys", "a", "2");
      await store.set("session", "a", "3");
      const all = sortRefs(await store.list());
      assert.deepEqual(all, [
        { kind: "keys", name: "a" },
        { kind: "keys", name: "b" },
        { kind: "session", name: "a" },
      ]);
      const only = (kind: ItemKind) => store.list(kind).then(sortRefs);
      assert.deepEqual(await only("keys"), [
        { kind: "keys", name: "a" },
        { kind: "keys", name: "b" },
      ]);
      assert.deepEqual(await only("session"), [{ kind: "session", name: "a" }]);
      await store.remove("keys", "a");
      assert.deepEqual(await only("keys"), [{ kind: "keys", name: "b" }]);
    });

    void it("stores names with odd characters losslessly and apart", async () => {
      const store = await fresh();
      for (const [i, n] of ODD_NAMES.entries()) await store.set("keys", n, `value ${i}`);
      for (const [i, n] of ODD_NAMES.entries()) {
        assert.equal(await store.get("keys", n), `value ${i}`, `name ${JSON.stringify(n)}`);
      }
      const listed = (await store.list("keys")).map((r) => r.name).sort();
      assert.deepEqual(listed, [...ODD_NAMES].sort());
      assert.equal(await store.get("keys", "PROD"), undefined);
      assert.equal(await store.remove("keys", "Prod"), true);
      assert.equal(await store.get("keys", "prod"), "value 7");
    });

    void it("stores large and non-ASCII values byte for byte", async () => {
      const store = await fresh();
      const large = `${"x".repeat(6000)}${"é日🙂".repeat(300)}\n{"json":"tail"}`;
      await store.set("session", "big", large);
      assert.equal(await store.get("session", "big"), large);
      const json = JSON.stringify({ secretAccessKey: "a/b+c=", token: "line1\nline2\u0000nul" });
      await store.set("keys", "json", json);
      assert.equal(await store.get("keys", "json"), json);
    });

    void it("lets two instances over the same backing see each other's writes", async () => {
      const one = await fresh();
      const two = await makeStore();
      await one.set("keys", "shared", "from one");
      assert.equal(await two.get("keys", "shared"), "from one");
      await two.set("keys", "shared", "from two");
      await two.set("session", "other", "x");
      assert.equal(await one.get("keys", "shared"), "from two");
      assert.deepEqual(sortRefs(await one.list()), [
        { kind: "keys", name: "shared" },
        { kind: "session", name: "other" },
      ]);
      assert.equal(await two.remove("keys", "shared"), true);
      assert.equal(await one.get("keys", "shared"), undefined);
    });

    void it("lands every one of many parallel writes", async () => {
      const store = await fresh();
      const names = Array.from({ length: 8 }, (_, i) => `parallel-${i}`);
      await Promise.all(names.map((n) => store.set("session", n, `v-${n}`)));
      const values = await Promise.all(names.map((n) => store.get("session", n)));
      assert.deepEqual(
        values,
        names.map((n) => `v-${n}`),
      );
    });
  });
}
