/**
 * The keyring helper process as the built CLI runs it: its own entry,
 * dist/chunks/keyring-helper.cjs (issue #11: it was a program inside a string,
 * never type-checked). The source form is what the other keyring tests run;
 * this is the form users get. Needs `npm run build` (npm test does it).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { REPO_ROOT, requireCommands, run } from "./helpers.ts";

const HELPER = join(REPO_ROOT, "dist", "chunks", "keyring-helper.cjs");
const BIN = join(REPO_ROOT, "dist", "awsmfa.cjs");

void it("regression (#11): the keyring helper is a built file of its own that answers the protocol", async () => {
  assert.ok(existsSync(HELPER), `${HELPER} is missing: run npm run build`);
  const request = { store: "keyutils", service: "awsmfa-built-helper", ops: [{ op: "find" }] };
  const r = await run([process.execPath, HELPER], {
    input: `{"store":"keyutils","ops":[]}\n${JSON.stringify(request)}\n`,
    timeoutMs: 60_000,
  });
  assert.equal(r.code, 0, r.output);
  const [bad, good] = r.output
    .trim()
    .split("\n")
    .map((l): unknown => JSON.parse(l));
  assert.deepEqual(bad, { ok: false, message: "malformed keyring request" });
  // Any answer but an error is fine: what keyutils holds here is not ours to know.
  assert.ok(typeof good === "object" && good !== null && "ok" in good, r.output);
});

void it("the built CLI stores and lists keys in gnome-keyring through that helper", async (t) => {
  if (
    !requireCommands(
      t,
      ["dbus-run-session", "gnome-keyring-daemon", "secret-tool"],
      "apt-get install dbus gnome-keyring libsecret-tools",
    )
  )
    return;
  const home = await mkdtemp(join(tmpdir(), "awsmfa-gk-built-"));
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      XDG_DATA_HOME: join(home, ".local/share"),
      XDG_RUNTIME_DIR: home,
      AWS_CONFIG_FILE: join(home, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE00BUILT01",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWSMFA_BACKEND: "secret-service",
    };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    // A named config file must exist (#9 item 5).
    await writeFile(join(home, "config"), "[profile dev]\nregion = eu-west-1\n");
    const node = process.execPath;
    const inner = [
      "printf test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null",
      `${sh(node)} ${sh(BIN)} add dev --env`,
      `${sh(node)} ${sh(BIN)} list --json`,
      "printf '\\n'",
      "secret-tool lookup service awsmfa username keys:dev",
    ].join(" && ");
    const r = await run(["dbus-run-session", "--", "bash", "-c", inner], { env });
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /Added keys \*\*\*\*LT01 for profile 'dev' to the secret-service store/);
    assert.match(r.output, /"dev"/);
    assert.match(r.output, /"accessKeyId":"AKIAEXAMPLE00BUILT01"/, "secret-tool reads the item");
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

function sh(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
