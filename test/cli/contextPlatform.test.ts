/**
 * Regression (#11): CliContext.platform never reached openStore, which read
 * process.platform itself, so the platform a command was given (and tested
 * with) was not the one the store was chosen for; the keyring helper ran
 * process.execPath whatever the context said.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { CliContext } from "../../src/cli/context.ts";
import { runCli } from "../../src/cli/run.ts";
import { systemClock } from "../../src/platform/clock.ts";

const home = await mkdtemp(join(tmpdir(), "awsmfa-ctx-platform-"));
after(() => rm(home, { recursive: true, force: true }));
await writeFile(join(home, "config"), "[profile dev]\nregion = eu-west-1\n");

async function run(argv: string[], platform: NodeJS.Platform, nodePath = process.execPath) {
  let stdout = "";
  let stderr = "";
  const ctx: CliContext = {
    env: {
      PATH: process.env.PATH,
      AWS_CONFIG_FILE: join(home, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
      AWSMFA_FILE_DIR: join(home, "store"),
      AWSMFA_FILE_PASSPHRASE: "pw",
    },
    homedir: home,
    clock: systemClock,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    interactive: false,
    stderrIsTty: false,
    platform,
    nodePath,
    uid: undefined,
    spawnInherit: () => Promise.reject(new Error("no child in this test")),
  };
  const code = await runCli(argv, ctx);
  return { code, stdout, stderr };
}

void describe("CliContext.platform reaches openStore", () => {
  it("names the context's platform when a backend belongs to another", async () => {
    const r = await run(["list", "--backend", "keyutils"], "darwin");
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /The keyutils backend needs Linux; this is darwin\./);
  });
  it("picks the default from the context's platform: no keyring known, the file store", async () => {
    const r = await run(["list", "--debug"], "aix");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /using the file backend/);
    assert.doesNotMatch(r.stderr, /did not answer/);
  });
  it("runs the keyring helper with the context's node", async () => {
    const r = await run(
      ["list", "--backend", "secret-service"],
      "linux",
      "/nonexistent/awsmfa-node",
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /could not start \/nonexistent\/awsmfa-node/);
  });
});
