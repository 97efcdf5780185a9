// Runs inside `dbus-run-session` with an unlocked gnome-keyring (see
// ../secretService.test.ts); never run directly by the main test runner.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { runStoreContract } from "../../helpers/storeContract.ts";
import { secretServiceStore } from "../../../src/store/keyring/keyringStore.ts";
import { systemClock } from "../../../src/platform/clock.ts";
import { openStore } from "../../../src/store/openStore.ts";

const service = `awsmfa-test-${randomBytes(4).toString("hex")}`;
const make = () =>
  secretServiceStore({ env: process.env, service, timeoutMs: 20_000, nodePath: process.execPath });

async function cleanup(): Promise<void> {
  const store = make();
  for (const ref of await store.list()) await store.remove(ref.kind, ref.name);
}

runStoreContract("secret-service (gnome-keyring)", () => Promise.resolve(make()), cleanup);

void describe("secret-service interop", () => {
  void it("stores items other programs can read: secret-tool sees them", async () => {
    const store = make();
    const value = '{"accessKeyId":"AKIAEXAMPLE0000SSVC","secretAccessKey":"s/e+c=r"}';
    await store.set("keys", "interop", value);
    const read = execFileSync(
      "secret-tool",
      ["lookup", "service", service, "username", "keys:interop"],
      {
        encoding: "utf8",
      },
    );
    assert.equal(read, value);
    await store.remove("keys", "interop");
  });

  void it("sees items another program wrote with our naming", async () => {
    execFileSync(
      "secret-tool",
      ["store", "--label=written by secret-tool", "service", service, "username", "session:other"],
      { input: "from secret-tool" },
    );
    const store = make();
    assert.equal(await store.get("session", "other"), "from secret-tool");
    assert.deepEqual(await store.list("session"), [{ kind: "session", name: "other" }]);
    assert.equal(await store.remove("session", "other"), true);
  });

  void it("is the default backend on Linux when the keyring answers (openStore, no --backend)", async () => {
    const lines: string[] = [];
    const store = await openStore({
      platform: "linux",
      nodePath: process.execPath,
      env: process.env,
      homedir: "/nonexistent-awsmfa-home",
      clock: systemClock,
      debug: (m) => lines.push(m),
    });
    assert.equal(store.backend, "secret-service", lines.join("\n"));
  });
});
