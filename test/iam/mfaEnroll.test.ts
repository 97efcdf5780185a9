// `awsmfa mfa enroll` for fake-aws's dave, a user whose only rights without
// MFA are the self-service ones: in a tmux pane, the QR code on the screen
// while it waits, two codes typed, the device enabled, mfa_serial added to
// his config section and nothing else in the file changed; then the profile
// works with MFA. A rejected code or Ctrl-C deletes the unconfirmed device
// and leaves the config as it was.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { otpauthUri } from "../../src/iam/otpauthUri.ts";
import { terminalQr } from "../../src/iam/terminalQr.ts";
import { skipLoudly, snapshot, startWorld, type World } from "../cli/helpers.ts";
import { BIN } from "../helpers/sandbox.ts";
import { hasTmux, startInTmux, type TmuxPane } from "./tmux.ts";

const DAVE = {
  accessKeyId: "AKIAFAKEDAVE00000001",
  secretAccessKey: "fake/dave/secret/key/not/real/0000000001",
};
const DAVE_MFA = "arn:aws:iam::111111111111:mfa/dave";
const CONFIG = `# my AWS config; awsmfa must not touch these lines
[profile alice]
region = eu-west-1 ; a comment

[profile dave]
region   =   us-east-1
output = json

[profile after]
region = us-west-2
`;

let w: World;
let dir: string;
let pane: TmuxPane | undefined;

beforeEach(async () => {
  w = await startWorld();
  dir = await mkdtemp(join(tmpdir(), "awsmfa-enroll-"));
  await w.sb.writeConfig(CONFIG);
  const r = await w.sb.run(["add", "dave", "--env", "--force"], {
    env: { AWS_ACCESS_KEY_ID: DAVE.accessKeyId, AWS_SECRET_ACCESS_KEY: DAVE.secretAccessKey },
  });
  assert.equal(r.code, 0, r.stderr);
});
afterEach(async () => {
  await pane?.kill();
  pane = undefined;
  await rm(dir, { recursive: true, force: true });
  await w.stop();
});

async function enrolInTmux(args: readonly string[] = []): Promise<TmuxPane> {
  pane = await startInTmux({
    dir,
    argv: [process.execPath, BIN, "mfa", "enroll", "dave", ...args],
    env: w.sb.env,
    columns: 100,
    rows: 70,
  });
  return pane;
}

/** Two consecutive codes of the device, as an app would show them now and next. */
function twoCodes(): [string, string] {
  const now = w.clock.now();
  return [w.aws.totp(DAVE_MFA, now - 30_000), w.aws.totp(DAVE_MFA, now)];
}

describe("mfa enroll in a tmux pane", () => {
  it("dave scans the QR code on screen, types two codes: device enabled, mfa_serial in his section only", async (t) => {
    if (!hasTmux) {
      skipLoudly(t, "tmux not installed: cannot read the enrolment screen");
      return;
    }
    const p = await enrolInTmux();
    const screen = await p.waitFor("First code:");
    // The QR on the screen is the one for the device IAM created, whose seed only the fake knows.
    const seed = w.aws.state.devices.get(DAVE_MFA)?.seed;
    assert.ok(seed !== undefined, "no device was created");
    const qrLines = (await terminalQr(otpauthUri(DAVE_MFA, seed)))
      .split("\r\n")
      .filter((l) => l.trim() !== "")
      .map((l) => l.trimEnd());
    const screenLines = screen.split("\n");
    const at = screenLines.indexOf(qrLines[0] ?? "");
    assert.ok(at >= 0, `QR code not on screen:\n${screen}`);
    assert.deepEqual(screenLines.slice(at, at + qrLines.length), qrLines);
    assert.match(screen, /Scan this QR code with your authenticator app/);
    assert.ok(!screen.includes(seed), "the secret is shown as text without --show-secret");

    const [code1, code2] = twoCodes();
    await p.type(code1);
    await p.waitFor("Next code");
    await p.type(code2);
    const done = await p.exit();
    assert.equal(done.status, 0, done.stderr);
    assert.equal(done.stdout, `${DAVE_MFA}\n`);
    assert.match(
      done.stderr,
      /MFA device arn:aws:iam::111111111111:mfa\/dave is enabled for IAM user dave/,
    );
    assert.equal(w.aws.state.devices.get(DAVE_MFA)?.user, "dave");

    // Lossless: one line added, after the section's last key.
    assert.equal(
      await readFile(w.sb.configFile, "utf8"),
      CONFIG.replace("output = json\n", `output = json\nmfa_serial = ${DAVE_MFA}\n`),
    );
    // The seed is on no file awsmfa wrote (config, store, anything under HOME).
    for (const [file, b64] of await snapshot(w.sb.home)) {
      assert.ok(!Buffer.from(b64, "base64").toString("latin1").includes(seed), `seed in ${file}`);
    }
    // And the profile now works with MFA: GetSessionToken with the new device.
    w.clock.advance(30_000);
    const r = await w.sb.run(["export", "dave", "-t", w.code(DAVE_MFA), "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"AccessKeyId": ?"ASIA/);
  });

  it("a rejected code deletes the unconfirmed device and leaves the config as it was", async (t) => {
    if (!hasTmux) {
      skipLoudly(t, "tmux not installed: cannot drive the enrolment");
      return;
    }
    const p = await enrolInTmux();
    await p.waitFor("First code:");
    const [code1] = twoCodes();
    await p.type(code1);
    await p.waitFor("Next code");
    await p.type(code1 === "000000" ? "000001" : "000000");
    const done = await p.exit();
    assert.equal(done.status, 1);
    assert.equal(done.stdout, "");
    assert.match(done.stderr, /IAM refused EnableMFADevice \(InvalidAuthenticationCode\)/);
    assert.match(done.stderr, /hint: Type two codes in a row/);
    assert.match(done.stderr, /deleted the unconfirmed device arn:aws:iam::111111111111:mfa\/dave/);
    assert.equal(w.aws.state.devices.has(DAVE_MFA), false);
    assert.equal(await readFile(w.sb.configFile, "utf8"), CONFIG);
  });

  it("Ctrl-C at the first code deletes the device and leaves the config as it was", async (t) => {
    if (!hasTmux) {
      skipLoudly(t, "tmux not installed: cannot drive the enrolment");
      return;
    }
    const p = await enrolInTmux();
    await p.waitFor("First code:");
    await p.key("C-c");
    const done = await p.exit();
    assert.equal(done.status, 130, done.stderr);
    assert.match(done.stderr, /deleted the unconfirmed device/);
    assert.equal(w.aws.state.devices.has(DAVE_MFA), false);
    assert.equal(await readFile(w.sb.configFile, "utf8"), CONFIG);
  });
});
