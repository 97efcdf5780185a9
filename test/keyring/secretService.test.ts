/**
 * The secret-service backend against a real gnome-keyring: a private D-Bus
 * session (dbus-run-session), the keyring unlocked with a test password, the
 * SecretStore contract suite and secret-tool interop run in a child
 * (children/secretService.child.ts), so this runner needs no D-Bus.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { nodeTestArgv, requireCommands, run } from "./helpers.ts";

void it("secret-service backend: contract suite + secret-tool interop under gnome-keyring", async (t) => {
  if (
    !requireCommands(
      t,
      ["dbus-run-session", "gnome-keyring-daemon", "secret-tool"],
      "apt-get install dbus gnome-keyring libsecret-tools",
    )
  )
    return;
  const inner = [
    "printf test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null",
    `exec ${nodeTestArgv("test/keyring/children/secretService.child.ts").map(sh).join(" ")}`,
  ].join(" && ");
  const env = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  // A fresh, private home: gnome-keyring keeps its keyring files there.
  const home = await mkdtemp(join(tmpdir(), "awsmfa-gk-"));
  try {
    env.HOME = home;
    env.XDG_DATA_HOME = join(home, ".local/share");
    env.XDG_RUNTIME_DIR = home;
    const r = await run(["dbus-run-session", "--", "bash", "-c", inner], { env });
    assert.equal(r.code, 0, `child test run failed:\n${r.output}`);
    assert.match(r.output, /# pass [1-9]/);
    assert.match(r.output, /# fail 0/);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

function sh(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
