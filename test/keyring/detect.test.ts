import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  detectDefaultBackend,
  platformKeyring,
  resolveBackendName,
  type KeyringProbe,
} from "../../src/store/keyring/detect.ts";

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

void describe("detectDefaultBackend", () => {
  const yes: KeyringProbe = () => Promise.resolve(true);
  const no: KeyringProbe = () => Promise.resolve(false);
  const base = { env: { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nowhere" }, timeoutMs: 100 };
  it("knows each platform's keyring", () => {
    assert.equal(platformKeyring("darwin"), "keychain");
    assert.equal(platformKeyring("win32"), "wincred");
    assert.equal(platformKeyring("linux"), "secret-service");
    assert.equal(platformKeyring("aix"), undefined);
  });
  it("uses the keyring when it answers, else file", async () => {
    assert.equal(
      await detectDefaultBackend({ ...base, platform: "darwin", probe: yes }),
      "keychain",
    );
    assert.equal(await detectDefaultBackend({ ...base, platform: "win32", probe: yes }), "wincred");
    assert.equal(
      await detectDefaultBackend({ ...base, platform: "linux", probe: yes }),
      "secret-service",
    );
    assert.equal(await detectDefaultBackend({ ...base, platform: "linux", probe: no }), "file");
    assert.equal(await detectDefaultBackend({ ...base, platform: "aix", probe: yes }), "file");
  });
  it("does not probe Linux without any session bus", async () => {
    let probed = false;
    const probe: KeyringProbe = () => {
      probed = true;
      return Promise.resolve(true);
    };
    assert.equal(
      await detectDefaultBackend({ platform: "linux", env: {}, timeoutMs: 100, probe }),
      "file",
    );
    assert.equal(probed, false);
  });
  it("falls back to file for real when the bus address leads nowhere", async () => {
    const env = { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/awsmfa-test-bus" };
    assert.equal(await detectDefaultBackend({ platform: "linux", env, timeoutMs: 10_000 }), "file");
  });
});
