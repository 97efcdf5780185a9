/** Import from aws-vault's secret-service backend against a real gnome-keyring (in a child). */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { nodeTestArgv, requireCommands, run } from "../keyring/helpers.ts";

void it("imports from aws-vault's secret-service backend under gnome-keyring", async (t) => {
  const tools = ["dbus-run-session", "gnome-keyring-daemon", "secret-tool", "dbus-send"];
  if (!requireCommands(t, tools, "apt-get install dbus gnome-keyring libsecret-tools")) return;
  const argv = nodeTestArgv("test/importers/children/secretService.child.ts");
  const inner = [
    "printf test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null",
    `exec ${argv.map((s) => `'${s.replaceAll("'", `'\\''`)}'`).join(" ")}`,
  ].join(" && ");
  const home = await mkdtemp(join(tmpdir(), "awsmfa-gk-import-"));
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      XDG_DATA_HOME: join(home, "data"),
      XDG_RUNTIME_DIR: home,
    };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const r = await run(["dbus-run-session", "--", "bash", "-c", inner], { env });
    assert.equal(r.code, 0, `child test run failed:\n${r.output}`);
    assert.match(r.output, /# pass 1/);
    assert.match(r.output, /# fail 0/);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
