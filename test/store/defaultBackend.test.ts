import assert from "node:assert/strict";
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { systemClock } from "../../src/platform/clock.ts";
import type { Env } from "../../src/platform/env.ts";
import { resolveBackendName } from "../../src/store/backendName.ts";
import { DEFAULT_ORDER, openStore } from "../../src/store/openStore.ts";
import { memoKey } from "../../src/store/defaultBackendMemo.ts";
import { AwsmfaError } from "../../src/errors.ts";
import { countingBackends } from "../helpers/countingBackends.ts";

const home = await mkdtemp(join(tmpdir(), "awsmfa-default-backend-"));
after(() => rm(home, { recursive: true, force: true }));

void describe("resolveBackendName", () => {
  it("is undefined when nobody asked", () => {
    assert.equal(resolveBackendName({ env: {} }), undefined);
    assert.equal(
      resolveBackendName({ env: { AWSMFA_BACKEND: "", AWS_VAULT_BACKEND: "" } }),
      undefined,
    );
  });
  it("prefers the flag, then AWSMFA_BACKEND, then AWS_VAULT_BACKEND", () => {
    const env = { AWSMFA_BACKEND: "pass", AWS_VAULT_BACKEND: "keychain" };
    assert.deepEqual(resolveBackendName({ flag: "file", env }), {
      name: "file",
      source: "--backend",
    });
    assert.deepEqual(resolveBackendName({ env }), { name: "pass", source: "AWSMFA_BACKEND" });
    assert.deepEqual(resolveBackendName({ env: { AWS_VAULT_BACKEND: "wincred" } }), {
      name: "wincred",
      source: "AWS_VAULT_BACKEND",
    });
  });
  it("maps aws-vault's names: keyctl -> keyutils, kwallet -> secret-service", () => {
    const keyctl = resolveBackendName({ env: { AWS_VAULT_BACKEND: "keyctl" } });
    assert.ok(keyctl);
    assert.equal(keyctl.name, "keyutils");
    assert.match(keyctl.note ?? "", /keyctl/);
    assert.equal(
      resolveBackendName({ env: { AWS_VAULT_BACKEND: "kwallet" } })?.name,
      "secret-service",
    );
  });
  it("rejects unknown names with a usage error naming the source", () => {
    assert.throws(() => resolveBackendName({ env: { AWS_VAULT_BACKEND: "op" } }), {
      code: "E_USAGE",
      exitCode: 2,
      message: "Unknown backend 'op' (from AWS_VAULT_BACKEND).",
    });
    assert.throws(() => resolveBackendName({ flag: "", env: {} }), { code: "E_USAGE" });
  });
});

/**
 * The default backend as users get it: openStore without a backend, trying
 * the platform's DEFAULT_ORDER with each keyring's real probe (a helper
 * process). No keyring answers on these addresses, so each
 * falls back to the file store, saying why under --debug.
 */
void describe("openStore without --backend (the default)", () => {
  let n = 0;
  const open = async (platform: NodeJS.Platform, env: Env) => {
    const notes: string[] = [];
    const store = await openStore({
      platform,
      nodePath: process.execPath,
      env: { ...env, AWSMFA_FILE_DIR: join(home, `s${String(n++)}`), AWSMFA_FILE_PASSPHRASE: "pw" },
      homedir: home,
      clock: systemClock,
      fileScrypt: { N: 1024, r: 8, p: 1 },
      debug: (m) => notes.push(m),
    });
    return { backend: store.backend, notes: notes.join("\n") };
  };

  it("on Linux without any session bus, passes over the Secret Service to the file store", async () => {
    const r = await open("linux", {});
    assert.equal(r.backend, "file");
    assert.match(r.notes, /the secret-service backend was not asked: no D-Bus session bus/);
    assert.match(r.notes, /--backend secret-service/);
  });
  it("on Linux, falls back to file for real when the bus address leads nowhere", async () => {
    const r = await open("linux", {
      DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/awsmfa-test-bus",
    });
    assert.equal(r.backend, "file");
    assert.match(r.notes, /the secret-service backend did not answer/);
  });
  it("uses the file store, without a note, on a platform with no known keyring", async () => {
    assert.deepEqual(await open("aix", {}), { backend: "file", notes: "" });
  });
});

/**
 * Issue #10: the default backend's answer is remembered beside the store
 * (default-backend.json), so a call does not ask the Secret Service through
 * a helper process every time; the keyring module is not even loaded when
 * the answer is the file store. Real backends and probes throughout; the
 * registry given to openStore only counts what was loaded and asked.
 */
void describe("the remembered default backend (issue #10)", () => {
  const NOWHERE = "unix:path=/nonexistent/awsmfa-test-bus";
  let n = 0;
  const setup = () => {
    const dir = join(home, `memo${String(n++)}`);
    return { dir, memo: join(dir, "default-backend.json") };
  };
  const open = async (dir: string, env: Env) => {
    const counted = countingBackends();
    const notes: string[] = [];
    const store = await openStore({
      platform: "linux",
      nodePath: process.execPath,
      uid: process.getuid?.(),
      env: { ...env, AWSMFA_FILE_DIR: dir, AWSMFA_FILE_PASSPHRASE: "pw" },
      homedir: home,
      clock: systemClock,
      fileScrypt: { N: 1024, r: 8, p: 1 },
      debug: (m) => notes.push(m),
      backends: counted.backends,
    });
    return { store, loaded: counted.loaded, asked: counted.asked, notes: notes.join("\n") };
  };

  it("without a session bus, opens the file store loading no keyring module (so no helper runs)", async () => {
    const { dir, memo } = setup();
    const r = await open(dir, {});
    assert.equal(r.store.backend, "file");
    assert.deepEqual(r.loaded, ["file"]);
    assert.deepEqual(r.asked, []);
    assert.match(r.notes, /the secret-service backend was not asked: no D-Bus session bus/);
    // Nothing to remember: no keyring was a candidate.
    assert.equal(await exists(memo), false);
  });

  it("asks once, remembers the answer (0600, no secret), and the next call does not ask", async () => {
    const { dir, memo } = setup();
    const first = await open(dir, { DBUS_SESSION_BUS_ADDRESS: NOWHERE });
    assert.equal(first.store.backend, "file");
    assert.deepEqual(first.asked, ["secret-service"]);
    assert.match(first.notes, /default backend: file; remembered in/);
    assert.equal((await stat(memo)).mode & 0o777, 0o600);
    const text = await readFile(memo, "utf8");
    assert.equal(memoBackend(text), "file");
    assert.doesNotMatch(text, /pw/);

    const second = await open(dir, { DBUS_SESSION_BUS_ADDRESS: NOWHERE });
    assert.equal(second.store.backend, "file");
    assert.deepEqual(second.loaded, ["file"], "the secret-service module was loaded");
    assert.deepEqual(second.asked, []);
    assert.match(
      second.notes,
      /default backend: file, remembered in ~\/memo\d+\/default-backend\.json/,
    );
  });

  it("asks again when DBUS_SESSION_BUS_ADDRESS (or XDG_RUNTIME_DIR) changes", async () => {
    const { dir } = setup();
    await open(dir, { DBUS_SESSION_BUS_ADDRESS: NOWHERE });
    const other = await open(dir, { DBUS_SESSION_BUS_ADDRESS: `${NOWHERE}-2` });
    assert.deepEqual(other.asked, ["secret-service"]);
    assert.match(other.notes, /the session bus or the backends have changed/);
    const runtime = await open(dir, {
      DBUS_SESSION_BUS_ADDRESS: `${NOWHERE}-2`,
      XDG_RUNTIME_DIR: dir,
    });
    assert.deepEqual(runtime.asked, ["secret-service"]);
  });

  it("asks again when the bus socket is a new one (a restarted bus daemon)", async () => {
    const { dir } = setup();
    const socketPath = join(dir, "bus");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(socketPath, "");
    const env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${socketPath}` };
    await open(dir, env);
    assert.deepEqual((await open(dir, env)).asked, []);
    await rm(socketPath);
    await writeFile(socketPath, "");
    const again = await open(dir, env);
    assert.deepEqual(again.asked, ["secret-service"]);
  });

  it("ignores a garbled memo, and writes a good one", async () => {
    const { dir, memo } = setup();
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(memo, "{not json", { mode: 0o600 });
    const r = await open(dir, { DBUS_SESSION_BUS_ADDRESS: NOWHERE });
    assert.equal(r.store.backend, "file");
    assert.deepEqual(r.asked, ["secret-service"]);
    assert.match(r.notes, /it is garbled/);
    assert.equal(memoBackend(await readFile(memo, "utf8")), "file");
  });

  it("ignores a memo others may write, and replaces it with a 0600 one", async () => {
    const { dir, memo } = setup();
    await open(dir, { DBUS_SESSION_BUS_ADDRESS: NOWHERE });
    await chmod(memo, 0o666);
    const r = await open(dir, { DBUS_SESSION_BUS_ADDRESS: NOWHERE });
    assert.deepEqual(r.asked, ["secret-service"]);
    assert.match(r.notes, /others may write it/);
    assert.equal((await stat(memo)).mode & 0o777, 0o600);
  });

  it("ignores a memo another user owns", async (t) => {
    if (process.getuid?.() !== 0) {
      process.stderr.write(`\n!!! SKIPPED ${t.name}: needs root to chown the memo\n`);
      t.skip("needs root to chown the memo");
      return;
    }
    const { dir, memo } = setup();
    await open(dir, { DBUS_SESSION_BUS_ADDRESS: NOWHERE });
    await chown(memo, 4321, 4321);
    const r = await open(dir, { DBUS_SESSION_BUS_ADDRESS: NOWHERE });
    assert.deepEqual(r.asked, ["secret-service"]);
    assert.match(r.notes, /it belongs to uid 4321/);
    assert.equal((await stat(memo)).uid, 0);
  });

  it("a remembered Secret Service that stops answering: a clear error, the memo forgotten, the next call falls to file", async () => {
    const { dir, memo } = setup();
    const env = { DBUS_SESSION_BUS_ADDRESS: NOWHERE };
    // As a call made while the keyring still answered left it.
    const key = await memoKey(
      { ...env, AWSMFA_FILE_DIR: dir, AWSMFA_FILE_PASSPHRASE: "pw" },
      "linux",
      DEFAULT_ORDER.linux ?? [],
    );
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(memo, JSON.stringify({ key, backend: "secret-service" }), { mode: 0o600 });

    const r = await open(dir, env);
    assert.equal(r.store.backend, "secret-service");
    assert.deepEqual(r.asked, [], "a remembered answer is not asked again");
    assert.match(r.notes, /default backend: secret-service, remembered in/);
    await assert.rejects(r.store.get("keys", "dev"), (e: unknown) => {
      assert.ok(e instanceof AwsmfaError);
      assert.equal(e.code, "E_KEYRING");
      assert.match(e.message, /^The Secret Service failed: /);
      assert.match(e.hint ?? "", /has forgotten it and asks again on the next call/);
      return true;
    });
    assert.equal(await exists(memo), false);

    const next = await open(dir, env);
    assert.equal(next.store.backend, "file");
    assert.deepEqual(next.asked, ["secret-service"]);
  });
});

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** The backend a memo file names. */
function memoBackend(text: string): unknown {
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === "object" && parsed !== null ? Reflect.get(parsed, "backend") : undefined;
}
