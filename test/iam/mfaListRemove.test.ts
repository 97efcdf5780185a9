// `awsmfa mfa list` and `mfa remove` against fake-aws, for bob (a device,
// and only self-service rights without MFA: deactivating needs an MFA
// session, which remove makes with the device's own code).
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { BOB, startWorld, type World } from "../cli/helpers.ts";

const BOB_MFA = "arn:aws:iam::111111111111:mfa/bob";
const CONFIG = `[profile bob]
region = us-east-1
mfa_serial = ${BOB_MFA}
# bob's notes stay
output = json
`;

let w: World;
before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(CONFIG);
  const r = await w.sb.run(["add", "bob", "--env", "--force"], {
    env: { AWS_ACCESS_KEY_ID: BOB.accessKeyId, AWS_SECRET_ACCESS_KEY: BOB.secretAccessKey },
  });
  assert.equal(r.code, 0, r.stderr);
});
after(() => w.stop());

describe("mfa list / remove", () => {
  it("list prints bob's device on stdout, marked as the profile's mfa_serial", async () => {
    const r = await w.sb.run(["mfa", "list", "bob"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\* arn:aws:iam::111111111111:mfa\/bob\t\d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
  });

  it("a profile without stored keys: one message naming it and what to do, exit 1", async () => {
    const r = await w.sb.run(["mfa", "list", "nobody"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /No long-term keys are stored for profile 'nobody'/);
    assert.match(r.stderr, /hint: .*awsmfa add nobody/);
  });

  it("a flag of another subcommand is a usage error", async () => {
    const r = await w.sb.run(["mfa", "enroll", "bob", "--serial", BOB_MFA]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /mfa enroll: --serial is not an option of 'mfa enroll'/);
  });

  it("remove with a wrong code: STS refuses, the device and the config stay", async () => {
    const wrong = w.aws.totp(BOB_MFA) === "000000" ? "000001" : "000000";
    const r = await w.sb.run(["mfa", "remove", "bob", "-t", wrong, "--force", "--remove-config"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /MFA code/);
    assert.equal(w.aws.state.devices.get(BOB_MFA)?.user, "bob");
    assert.equal(await readFile(w.sb.configFile, "utf8"), CONFIG);
  });

  it("remove with bob's code deactivates and deletes the device, and --remove-config drops only mfa_serial", async () => {
    w.clock.advance(30_000);
    const r = await w.sb.run([
      "mfa",
      "remove",
      "bob",
      "-t",
      w.code("arn:aws:iam::111111111111:mfa/bob"),
      "--force",
      "--remove-config",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /MFA device arn:aws:iam::111111111111:mfa\/bob of IAM user bob is deactivated and deleted/,
    );
    assert.equal(w.aws.state.devices.has(BOB_MFA), false);
    assert.equal(
      await readFile(w.sb.configFile, "utf8"),
      CONFIG.replace(`mfa_serial = ${BOB_MFA}\n`, ""),
    );
    const deactivate = w.aws.calls().find((c) => c.action === "DeactivateMFADevice");
    assert.equal(deactivate?.mfaPresent, true, "deactivated with an MFA session");
    const list = await w.sb.run(["mfa", "list", "bob"]);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stdout, "");
    assert.match(list.stderr, /has no MFA device; add one with 'awsmfa mfa enroll bob'/);
  });
});
