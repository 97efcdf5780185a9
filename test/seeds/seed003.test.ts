// Seed 003 end to end: several role profiles in different accounts share one
// MFA device; pick a profile from the list, type the code, credentials are
// written to ~/.aws/credentials (or printed as JSON). One MFA code serves
// every role that shares the device.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { runProcess } from "../helpers/sandbox.ts";
import {
  ADMIN_ROLE,
  ALICE_MFA,
  CROSS_ROLE,
  READONLY_ROLE,
  callsOf,
  field,
  startWorld,
  type World,
} from "../cli/helpers.ts";
import { noPty, runOnPty } from "../picker/pty.ts";

let w: World;
before(async () => {
  w = await startWorld();
  // The seed's config, with the main account's keys in the store instead of
  // in plain text in ~/.aws/credentials.
  await w.sb.writeConfig(`[profile main]
region = us-east-1

[profile dev-1]
region = eu-central-1
role_arn = ${ADMIN_ROLE}
source_profile = main
mfa_serial = ${ALICE_MFA}

[profile dev-2]
region = eu-west-1
role_arn = ${CROSS_ROLE}
source_profile = main
mfa_serial = ${ALICE_MFA}

[profile dev-3]
region = eu-west-2
role_arn = ${READONLY_ROLE}
source_profile = main
mfa_serial = ${ALICE_MFA}
`);
  await w.addAlice("main");
});
after(() => w.stop());

it("pick dev-2, type the code: credentials written; the AWS CLI uses them; dev-3 then needs no code and prints JSON", async (t) => {
  if (noPty(t)) return;
  w.aws.clearCalls();
  const code = w.code();
  const written = await runOnPty(
    w.sb,
    ["write"],
    [
      { expect: "4 of 4 profiles", send: "dev-2" },
      { expect: "1 of 4 profiles", send: "\r" },
      { expect: `Enter MFA code for ${ALICE_MFA}: `, send: `${code}\r` },
    ],
  );
  assert.equal(written.status, 0, written.transcript);
  assert.match(
    written.transcript,
    /dev-2 +cross-admin @ 222222222222 +eu-west-1 +mfa alice @ 111111111111/,
  );
  assert.match(
    written.transcript,
    /Wrote \[dev-2-session\] in ~\/\.aws\/credentials with temporary credentials for profile dev-2/,
  );
  assert.match(written.transcript, /export AWS_PROFILE=dev-2-session/);

  const cli = await runProcess(
    "aws",
    ["sts", "get-caller-identity", "--query", "Arn", "--output", "text"],
    {
      ...w.sb.env,
      AWS_PROFILE: "dev-2-session",
    },
  );
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /^arn:aws:sts::222222222222:assumed-role\/cross-admin\//);

  // dev-3 shares the device: the picker shows the live MFA session, and no code is asked.
  const json = await runOnPty(
    w.sb,
    ["export", "--format", "json"],
    [
      { expect: "4 of 4 profiles", send: "dev-3" },
      { expect: "1 of 4 profiles", send: "\r" },
    ],
  );
  assert.equal(json.status, 0, json.transcript);
  assert.match(
    json.transcript,
    /dev-3 +readonly @ 111111111111 +eu-west-2 +mfa alice @ 111111111111 +mfa session \d+h(\d+m)? left/,
  );
  assert.doesNotMatch(json.transcript, /Enter MFA code/);
  const creds: unknown = JSON.parse(json.stdout);
  assert.match(String(field(creds, "AccessKeyId")), /^ASIA/);
  assert.equal(field(creds, "Region"), "eu-west-2");

  assert.equal(callsOf(w.aws, "GetSessionToken").length, 1, "one MFA session for every role");
  assert.deepEqual(
    callsOf(w.aws, "AssumeRole").map((c) => c.roleArn),
    [CROSS_ROLE, READONLY_ROLE],
  );
});
