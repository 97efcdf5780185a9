/**
 * A hung D-Bus must give the clear error within the timeout, not a hang:
 * the session bus here is a socket that accepts connections and never
 * answers. (Measured: @napi-rs/keyring blocks its calling thread on such a
 * bus, which is why every call runs in a killable helper process.)
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isAwsmfaError } from "../../src/errors.ts";
import { systemClock } from "../../src/platform/clock.ts";
import { openStore } from "../../src/store/openStore.ts";
import { secretServiceStore } from "../../src/store/keyring/keyringStore.ts";

void describe("a Secret Service that never answers", () => {
  let dir = "";
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  let env: Record<string, string | undefined> = {};

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "awsmfa-hung-bus-"));
    const path = join(dir, "bus");
    await new Promise<void>((r) => server.listen(path, r));
    env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}` };
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  void it("fails get() with E_KEYRING_TIMEOUT and a message that says what to do", async () => {
    const store = secretServiceStore({ env, timeoutMs: 3000, nodePath: process.execPath });
    await assert.rejects(store.get("keys", "dev"), (e: unknown) => {
      assert.ok(isAwsmfaError(e));
      assert.equal(e.code, "E_KEYRING_TIMEOUT");
      assert.equal(
        e.message,
        "The Secret Service did not answer in 3 s; start/unlock your keyring (gnome-keyring, KWallet) or use --backend file.",
      );
      return true;
    });
    assert.ok(sockets.length > 0, "the helper did connect to the bus");
  });

  void it("recovers for the next call (a new helper), and times out again", async () => {
    const store = secretServiceStore({ env, timeoutMs: 1000, nodePath: process.execPath });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(store.list(), { code: "E_KEYRING_TIMEOUT" });
    }
  });

  void it("makes openStore's default (no --backend) fall back to the file store", async () => {
    const notes: string[] = [];
    const store = await openStore({
      platform: "linux",
      nodePath: process.execPath,
      env: { ...env, AWSMFA_FILE_DIR: join(dir, "store"), AWSMFA_FILE_PASSPHRASE: "pw" },
      homedir: dir,
      clock: systemClock,
      fileScrypt: { N: 1024, r: 8, p: 1 },
      debug: (m) => notes.push(m),
    });
    assert.equal(store.backend, "file");
    assert.match(notes.join("\n"), /the secret-service backend did not answer/);
    assert.ok(sockets.length > 0, "the probe did connect to the bus");
  });
});
