import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { systemClock } from "../../src/platform/clock.ts";
import type { Env } from "../../src/platform/env.ts";
import { resolveBackendName } from "../../src/store/backendName.ts";
import { openStore } from "../../src/store/openStore.ts";

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
    assert.match(r.notes, /the secret-service backend did not answer/);
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
