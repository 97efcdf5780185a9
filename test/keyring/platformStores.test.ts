/**
 * The macOS Keychain and Windows Credential Manager backends run the same
 * contract suite, but only on their own platform: on any other machine this
 * file says loudly that they were NOT tested.
 */
import { randomBytes } from "node:crypto";
import { it } from "node:test";
import { runStoreContract } from "../helpers/storeContract.ts";
import { keychainStore, wincredStore } from "../../src/store/keyring/keyringStore.ts";

const service = `awsmfa-test-${randomBytes(4).toString("hex")}`;
const cases = [
  { platform: "darwin", title: "keychain (macOS Keychain)", make: keychainStore },
  { platform: "win32", title: "wincred (Windows Credential Manager)", make: wincredStore },
] as const;

for (const c of cases) {
  if (process.platform === c.platform) {
    const make = () =>
      c.make({ env: process.env, service, timeoutMs: 20_000, nodePath: process.execPath });
    runStoreContract(
      c.title,
      () => Promise.resolve(make()),
      async () => {
        const store = make();
        for (const ref of await store.list()) await store.remove(ref.kind, ref.name);
      },
    );
  } else {
    const reason = `${c.title} NOT TESTED: needs ${c.platform}, this is ${process.platform}`;
    process.stderr.write(`\n!!! SKIPPED ${reason}\n`);
    void it(`${c.title} backend contract`, (t) => {
      t.skip(reason);
    });
  }
}
