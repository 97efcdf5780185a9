// Runs inside `dbus-run-session` with an unlocked gnome-keyring (see
// ../secretService.test.ts); never run directly by the main test runner.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runStoreContract } from "../../helpers/storeContract.ts";
import { secretServiceStore } from "../../../src/store/keyring/keyringStore.ts";
import { systemClock } from "../../../src/platform/clock.ts";
import { openStore } from "../../../src/store/openStore.ts";
import { countingBackends } from "../../helpers/countingBackends.ts";

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
    // A store directory of its own: the default's answer is remembered there.
    const dir = await mkdtemp(join(tmpdir(), "awsmfa-default-"));
    after(() => rm(dir, { recursive: true, force: true }));
    const store = await openStore({
      platform: "linux",
      nodePath: process.execPath,
      env: { ...process.env, AWSMFA_FILE_DIR: dir },
      homedir: "/nonexistent-awsmfa-home",
      clock: systemClock,
      debug: (m) => lines.push(m),
    });
    assert.equal(store.backend, "secret-service", lines.join("\n"));
  });
});

/** Issue #10: the default's answer is remembered; the next call does not probe the keyring. */
void describe("secret-service as the remembered default backend", () => {
  const open = async (dir: string, bus: string | undefined) => {
    const counted = countingBackends();
    const notes: string[] = [];
    const store = await openStore({
      platform: "linux",
      nodePath: process.execPath,
      uid: process.getuid?.(),
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus, AWSMFA_FILE_DIR: dir },
      homedir: "/nonexistent-awsmfa-home",
      clock: systemClock,
      debug: (m) => notes.push(m),
      backends: counted.backends,
    });
    return { store, asked: counted.asked, notes: notes.join("\n") };
  };

  void it("probes once, remembers it, then opens it without probing; a new bus address probes again", async () => {
    const dir = await mkdtemp(join(tmpdir(), "awsmfa-memo-"));
    after(() => rm(dir, { recursive: true, force: true }));
    const memo = join(dir, "default-backend.json");
    const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
    assert.ok(bus !== undefined && bus !== "", "dbus-run-session sets the bus address");

    const first = await open(dir, bus);
    assert.equal(first.store.backend, "secret-service", first.notes);
    assert.deepEqual(first.asked, ["secret-service"]);
    assert.equal(memoBackend(await readFile(memo, "utf8")), "secret-service");
    assert.equal((await stat(memo)).mode & 0o777, 0o600);

    const second = await open(dir, bus);
    assert.equal(second.store.backend, "secret-service");
    assert.deepEqual(second.asked, [], "the remembered answer was probed again");
    assert.match(second.notes, /default backend: secret-service, remembered in/);
    assert.equal(await second.store.get("keys", `absent-${service}`), undefined);

    // The same bus spelled differently (the guid dropped): the key changed, so ask again.
    const respelled = bus
      .split(",")
      .filter((p) => !p.startsWith("guid="))
      .join(",");
    const other = respelled === bus ? `${bus},guid=0123456789abcdef0123456789abcdef` : respelled;
    const third = await open(dir, other);
    assert.deepEqual(third.asked, ["secret-service"]);
    assert.equal(third.store.backend, "secret-service", third.notes);
  });
});

/** The backend a memo file names. */
function memoBackend(text: string): unknown {
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === "object" && parsed !== null ? Reflect.get(parsed, "backend") : undefined;
}
